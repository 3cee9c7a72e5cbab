/** A doorbell: writers ring it after committing changes, the dispatcher waits on it between polls. */
export class Wakeup {
  #waiters: Array<() => void> = [];
  #rung = false;

  ring(): void {
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
