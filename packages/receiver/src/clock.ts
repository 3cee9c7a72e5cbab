/**
 * Where the keeper reads the time: the same shape as the server's Clock, so tests pass the
 * server's FakeClock. A clock that can tell of its moves (`onMove`, as FakeClock does) makes the
 * keeper check its subscription on every move, without waiting for a real timer.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  onMove?(listener: (now: number) => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };
