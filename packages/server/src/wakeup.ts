/**
 * A doorbell: writers ring it after committing changes, the dispatcher waits on it between polls.
 * A dispatcher in another thread listens through `onRing` (node/delivery-thread.ts forwards each
 * ring as a message).
 */
export class Wakeup {
  #waiters: Array<() => void> = [];
  #listeners: Array<() => void> = [];
  #rung = false;

  /** Calls `listener` on every ring; returns the function that stops it. */
  onRing(listener: () => void): () => void {
    this.#listeners.push(listener);
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  ring(): void {
    for (const listener of this.#listeners) listener();
    this.#rung = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves when rung, or after `ms` (real time), whichever is first. */
  wait(ms: number): Promise<void> {
    if (this.#rung) {
      this.#rung = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== done);
        this.#rung = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiters.push(done);
    });
  }
}
