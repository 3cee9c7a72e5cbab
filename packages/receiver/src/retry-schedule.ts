/**
 * When failed syncs are tried again. A retry is due `delayMs` after the failure on the receiver's
 * clock. A clock that tells of its moves (`onMove`, as a test's FakeClock does) brings the due
 * retries on its moves and no real timer runs, so tests move time instead of waiting for it; with
 * any other clock a real timer of `delayMs` does it.
 */
import type { Clock } from "./clock.js";

export class RetrySchedule {
  /** Due times of the retries waiting for a clock move, by feed key. */
  readonly #due = new Map<string, number>();
  /** Real timers of the retries, by feed key (clocks without `onMove`). */
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #stopListening: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly retry: (key: string) => void,
  ) {
    this.#stopListening = clock.onMove?.(() => this.#retryDue());
  }

  /** Retries `key` once `delayMs` has passed (a later schedule of the same key replaces this one). */
  schedule(key: string, delayMs: number): void {
    if (this.#stopListening) {
      this.#due.set(key, this.clock.now() + delayMs);
      return;
    }
    clearTimeout(this.#timers.get(key));
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.retry(key);
    }, delayMs);
    // A pending retry alone does not keep the process alive.
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** Drops every pending retry and stops listening to the clock. */
  clear(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#due.clear();
    this.#stopListening?.();
  }

  #retryDue(): void {
    const now = this.clock.now();
    for (const [key, dueAt] of [...this.#due]) {
      if (dueAt > now) continue;
      this.#due.delete(key);
      this.retry(key);
    }
  }
}
