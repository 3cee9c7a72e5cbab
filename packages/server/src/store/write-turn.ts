/**
 * Whose turn it is to write to a node's SQLite file, shared by the node's threads (the HTTP API on
 * the main thread, the dispatcher in its own). SQLite lets one connection write at a time; a
 * connection that finds the file locked waits in its busy handler, which *sleeps* — 1 ms, then 2,
 * 5, 10, 15, 20, 25 ms … — and polls again. Measured under delivery load (bench/ingest.js), a change
 * report's `BEGIN IMMEDIATE` waited 1.6 ms on average that way for a lock held a fraction of that.
 * A turn is handed over the moment the writer commits: the waiting thread is woken by
 * `Atomics.notify`, without blocking its event loop (`Atomics.waitAsync`).
 *
 * The turn is advisory and only between the threads of one node: other processes on the file (the
 * CLI's offline commands) still meet SQLite's own lock and busy_timeout, and so would a thread that
 * waited longer than `patienceMs` (it goes ahead and lets SQLite decide).
 */

const FREE = 0;

/** Who may hold the turn: one id per thread of a node. */
export const WRITERS = { api: 1, deliveryThread: 2 } as const;
export type Writer = (typeof WRITERS)[keyof typeof WRITERS];

export class WriteTurn {
  readonly #cell: Int32Array;
  #held = false;

  /** `buffer` is shared (SharedArrayBuffer of 4 bytes); `writer` is this thread's id. */
  constructor(
    readonly buffer: SharedArrayBuffer,
    private readonly writer: Writer,
    private readonly patienceMs = 5000,
  ) {
    this.#cell = new Int32Array(buffer);
  }

  /** A new turn for a node, held by nobody; its buffer goes to the node's other threads. */
  static create(writer: Writer): WriteTurn {
    return new WriteTurn(new SharedArrayBuffer(4), writer);
  }

  /** Waits until no other thread of the node is writing, then holds the turn. */
  async take(): Promise<void> {
    const deadline = Date.now() + this.patienceMs;
    for (;;) {
      const holder = Atomics.compareExchange(this.#cell, 0, FREE, this.writer);
      // This thread's own writes are serialized by Kysely's connection mutex before they get here;
      // finding the turn already ours would mean a turn left held, so it is simply kept.
      if (holder === FREE || holder === this.writer) {
        this.#held = true;
        return;
      }
      const left = deadline - Date.now();
      if (left <= 0) return;
      const waiting = Atomics.waitAsync(this.#cell, 0, holder, left);
      if (waiting.async && (await waiting.value) === "timed-out") return;
    }
  }

  /** Gives the turn back (if this thread holds it) and wakes a waiting thread. */
  give(): void {
    if (!this.#held) return;
    this.#held = false;
    this.release(this.writer);
  }

  /**
   * Frees the turn if `writer` holds it: for a thread that ended in the middle of a transaction
   * (SQLite rolled it back when the connection went), so the others do not wait for it in vain.
   */
  release(writer: Writer): void {
    if (Atomics.compareExchange(this.#cell, 0, writer, FREE) === writer) Atomics.notify(this.#cell, 0);
  }
}
