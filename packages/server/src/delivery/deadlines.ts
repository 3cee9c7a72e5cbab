/**
 * Delivery time-outs, shared. `AbortSignal.timeout()` arms a timer of its own for every POST; at
 * thousands of deliveries a second those timers (created, then cancelled a millisecond later
 * when the receiver answers) showed in the profile. Here deadlines are kept in 10 ms buckets, and
 * one timer — armed only while some deadline is pending — aborts the controllers whose bucket has
 * passed. A POST is aborted between 0 and 10 ms after its time-out: a tolerance well below any
 * receiver's time-out.
 */
const BUCKET_MS = 10;

export interface Deadline {
  readonly signal: AbortSignal;
  /** The POST finished: forget its deadline. */
  clear(): void;
}

export class Deadlines {
  readonly #buckets = new Map<number, Set<AbortController>>();
  #timer: NodeJS.Timeout | null = null;

  /** A signal that aborts `ms` from now (real time: a receiver's slowness is measured in it). */
  after(ms: number): Deadline {
    const controller = new AbortController();
    const bucket = Math.ceil((performance.now() + ms) / BUCKET_MS);
    let set = this.#buckets.get(bucket);
    if (!set) this.#buckets.set(bucket, (set = new Set()));
    set.add(controller);
    this.#arm();
    return {
      signal: controller.signal,
      clear: () => {
        const pending = this.#buckets.get(bucket);
        if (!pending) return;
        pending.delete(controller);
        if (pending.size === 0) this.#buckets.delete(bucket);
      },
    };
  }

  /** Deadlines not yet passed nor cleared (for tests and metrics). */
  get pending(): number {
    let n = 0;
    for (const set of this.#buckets.values()) n += set.size;
    return n;
  }

  #arm(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.#expire(), BUCKET_MS);
    // A pending deadline must not keep a stopping process alive: the POST itself does, if anything.
    this.#timer.unref();
  }

  #expire(): void {
    const now = Math.floor(performance.now() / BUCKET_MS);
    for (const [bucket, controllers] of this.#buckets) {
      if (bucket > now) continue;
      this.#buckets.delete(bucket);
      for (const controller of controllers) controller.abort(new DeadlineExceeded());
    }
    if (this.#buckets.size === 0 && this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }
}

export class DeadlineExceeded extends Error {
  constructor() {
    super("deadline exceeded");
    this.name = "DeadlineExceeded";
  }
}

/** One per process: every node in it sends through the same buckets. */
export const deliveryDeadlines = new Deadlines();
