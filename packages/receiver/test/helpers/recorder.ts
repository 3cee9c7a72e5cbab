/**
 * A receiver callback that records what it was given: the names of the changes (as the surface
 * fixture reads them), every batch, and how many calls ran at once — the overlap a receiver must
 * never have. It can hold its first call at a gate, to be "slow" while notifications pile up.
 */
import type { FeedChange } from "../../src/feeds/feed.js";
import type { ChangeBatch } from "../../src/sync.js";
import { waitFor } from "../../../server/test/helpers/wait.js";
import type { Gate } from "./gate.js";

export class ChangeRecorder {
  readonly batches: ChangeBatch[] = [];
  readonly names: string[] = [];
  calls = 0;
  active = 0;
  maxActive = 0;

  constructor(
    private readonly nameOf: (change: FeedChange) => string | undefined,
    private readonly slow: { gate?: Gate; delayMs?: number } = {},
  ) {}

  readonly onChanges = async (batch: ChangeBatch): Promise<void> => {
    this.calls += 1;
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      await this.slow.gate?.wait();
      if (this.slow.delayMs) await new Promise((resolve) => setTimeout(resolve, this.slow.delayMs));
      this.batches.push(batch);
      for (const change of batch.changes) {
        const name = this.nameOf(change);
        if (name !== undefined) this.names.push(name);
      }
    } finally {
      this.active -= 1;
    }
  };

  count(name: string): number {
    return this.names.filter((n) => n === name).length;
  }

  async waitForNames(names: string[], timeoutMs = 15_000): Promise<void> {
    await waitFor(() => names.every((name) => this.names.includes(name)), {
      timeoutMs,
      what: `changes ${names.filter((n) => !this.names.includes(n)).join(", ")} (seen: ${this.names.join(", ")})`,
    });
  }

  async waitForCalls(calls: number): Promise<void> {
    await waitFor(() => this.calls >= calls, { what: `${calls} callback call(s)` });
  }
}
