/**
 * A receiver callback that records what it was given: the names of the changes (as the surface
 * fixture reads them), every batch, and how many calls ran at once — the overlap a receiver must
 * never have. It can hold its first call at a gate, to be "slow" while notifications pile up.
 * Tests wait on it by events (each call and each recorded batch wakes the waiters), never by polling.
 */
import type { FeedChange } from "../../src/feeds/feed.js";
import type { ChangeBatch } from "../../src/sync.js";
import type { Gate } from "./gate.js";

export class ChangeRecorder {
  readonly batches: ChangeBatch[] = [];
  readonly names: string[] = [];
  calls = 0;
  active = 0;
  maxActive = 0;
  /** Checked after every call and every recorded batch. */
  readonly #waiters = new Set<() => void>();

  constructor(
    private readonly nameOf: (change: FeedChange) => string | undefined,
    private readonly slow: { gate?: Gate; delayMs?: number } = {},
  ) {}

  readonly onChanges = async (batch: ChangeBatch): Promise<void> => {
    this.calls += 1;
    this.#changed();
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await this.slow.gate?.wait();
      if (this.slow.delayMs)
        await new Promise((resolve) => {
          // eslint-disable-next-line no-restricted-syntax -- a callback that is slow on purpose: the delay is under test
          setTimeout(resolve, this.slow.delayMs);
        });
      this.batches.push(batch);
      for (const change of batch.changes) {
        const name = this.nameOf(change);
        if (name !== undefined) this.names.push(name);
      }
      this.#changed();
    } finally {
      this.active -= 1;
    }
  };

  count(name: string): number {
    return this.names.filter((n) => n === name).length;
  }

  waitForNames(names: string[], timeoutMs = 15_000): Promise<void> {
    return this.#until(
      () => names.every((name) => this.names.includes(name)),
      timeoutMs,
      () =>
        `changes ${names.filter((n) => !this.names.includes(n)).join(", ")} (seen: ${this.names.join(", ")})`,
    );
  }

  waitForCalls(calls: number, timeoutMs = 10_000): Promise<void> {
    return this.#until(
      () => this.calls >= calls,
      timeoutMs,
      () => `${calls} callback call(s)`,
    );
  }

  /** A batch that matches, once one has been recorded. */
  waitForBatch(matches: (batch: ChangeBatch) => boolean, timeoutMs = 10_000): Promise<void> {
    return this.#until(
      () => this.batches.some(matches),
      timeoutMs,
      () => "a matching batch",
    );
  }

  /** Resolves once `done()` holds, checked at each change; the deadline only turns a hang into a failure. */
  #until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      const check = (): void => {
        if (!done()) return;
        this.#waiters.delete(check);
        deadline.removeEventListener("abort", expire);
        resolve();
      };
      const expire = (): void => {
        this.#waiters.delete(check);
        reject(new Error(`timed out waiting for ${what()}`));
      };
      deadline.addEventListener("abort", expire, { once: true });
      this.#waiters.add(check);
    });
  }

  #changed(): void {
    for (const check of [...this.#waiters]) check();
  }
}
