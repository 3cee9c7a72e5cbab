/**
 * The POSTs a dispatcher has out: counted per URL (the per-URL cap), per endpoint (one probe at a
 * time to an endpoint the breaker is probing), by mark (a claim in flight is not lost), and
 * against the node's cap.
 *
 * The slow lane: a POST unanswered after `slowAfterMs` stops counting toward
 * `globalConcurrency`. Without it, receivers that accept connections and never answer held every
 * slot for the whole time-out while healthy receivers' notifications waited (bench/isolation.js:
 * healthy throughput fell to 4 % of the clean run with 10 % of subscriptions on a black hole). A
 * waiting POST costs a socket and a promise, not CPU; all in all at most four times
 * `globalConcurrency` are out, so a node's sockets and memory stay bounded, and one endpoint may
 * have at most a quarter of `globalConcurrency` slow POSTs (claim-budget.ts): a black hole cannot
 * fill the slow lane either, before its time-outs get it parked.
 */
import type { Batch } from "./batch-plan.js";
import { deliveryDeadlines } from "./deadlines.js";
import { endpointOf } from "./endpoint-breaker.js";

export class InFlight {
  readonly tasks = new Set<Promise<void>>();
  readonly byUrl = new Map<string, number>();
  readonly byEndpoint = new Map<string, number>();
  readonly marks = new Set<number>();
  /** Slow POSTs per endpoint. */
  readonly slowByEndpoint = new Map<string, number>();
  #slow = 0;

  constructor(private readonly caps: { globalConcurrency: number; slowAfterMs: number }) {}

  get size(): number {
    return this.tasks.size;
  }

  /** POSTs that count toward the node's cap: all but the slow ones. */
  get slow(): number {
    return this.#slow;
  }

  get counted(): number {
    return this.tasks.size - Math.min(this.#slow, 3 * this.caps.globalConcurrency);
  }

  /** POSTs a round may start now. */
  get capacity(): number {
    const { globalConcurrency } = this.caps;
    return Math.max(0, Math.min(globalConcurrency - this.counted, 4 * globalConcurrency - this.tasks.size));
  }

  /**
   * Runs `send` for `batch`, counted until it settles; `onSlow` when it turns slow (a slot came
   * free), `onDone` when it has settled.
   */
  add(batch: Batch, send: () => Promise<void>, events: { onSlow: () => void; onDone: () => void }): void {
    const endpoint = endpointOf(batch.url);
    increment(this.byUrl, batch.url);
    increment(this.byEndpoint, endpoint);
    for (const mark of batch.marks) this.marks.add(mark.id);
    const slowAt = deliveryDeadlines.after(this.caps.slowAfterMs);
    let slow = false;
    slowAt.signal.addEventListener(
      "abort",
      () => {
        slow = true;
        this.#slow++;
        increment(this.slowByEndpoint, endpoint);
        events.onSlow();
      },
      { once: true },
    );
    const task = send().finally(() => {
      slowAt.clear();
      if (slow) {
        this.#slow--;
        decrement(this.slowByEndpoint, endpoint);
      }
      decrement(this.byUrl, batch.url);
      decrement(this.byEndpoint, endpoint);
      for (const mark of batch.marks) this.marks.delete(mark.id);
      this.tasks.delete(task);
      events.onDone();
    });
    this.tasks.add(task);
  }
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function decrement(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left === 0) counts.delete(key);
  else counts.set(key, left);
}
