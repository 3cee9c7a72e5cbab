/**
 * Where a receiver keeps each feed's position (change token, delta link, timestamp). A position is
 * written only after the callback has taken the changes before it, so a crash replays changes
 * rather than skipping them. Any key-value store with these two calls will do (a database row, Redis).
 */
export interface TokenStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

/** Positions in memory: gone with the process (tests, `nudge listen`). */
export class MemoryTokenStore implements TokenStore {
  readonly #values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.#values.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.#values.set(key, value);
  }
}
