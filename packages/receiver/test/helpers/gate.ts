/** A promise a test opens when it chooses: a callback that waits on it is "slow" for exactly as long as the test wants. */
export class Gate {
  opened = false;
  readonly #waiting: Promise<void>;
  #open!: () => void;

  constructor() {
    this.#waiting = new Promise<void>((resolve) => (this.#open = resolve));
  }

  wait(): Promise<void> {
    return this.#waiting;
  }

  open(): void {
    this.opened = true;
    this.#open();
  }
}
