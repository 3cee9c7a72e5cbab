/**
 * The one source of time. Every time-dependent rule (coalescing, retries, expiry, leases, user
 * inactivity) reads a Clock, so tests run on a FakeClock and nothing sleeps for minutes.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to. Listeners hear every move (the dispatcher wakes on them). */
export class FakeClock implements Clock {
  #now: number;
  readonly #listeners = new Set<(now: number) => void>();

  constructor(start: number | string | Date = "2026-01-01T00:00:00Z") {
    this.#now = new Date(start).getTime();
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): number {
    return this.set(this.#now + ms);
  }

  set(to: number | string | Date): number {
    this.#now = new Date(to).getTime();
    for (const listener of this.#listeners) listener(this.#now);
    return this.#now;
  }

  onMove(listener: (now: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function isFakeClock(clock: Clock): clock is FakeClock {
  return clock instanceof FakeClock;
}
