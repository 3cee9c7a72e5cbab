/**
 * The default token store: one JSON file `{key: position}`. Every write goes to a temporary file
 * in the same folder, is flushed, then renamed over the old one, so a crash (even kill -9) leaves
 * either the old file or the new one, never half of one. Reads go to the file each time, so a new
 * receiver (or a restarted process) sees what the last one wrote. Writes of one instance are
 * serialised; share one instance between receivers that use the same file in one process.
 */
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import type { TokenStore } from "./token-store.js";

export class FileTokenStore implements TokenStore {
  /** Writes of this instance, one after another, so none is lost to a concurrent read-modify-write. */
  #writes: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  async get(key: string): Promise<string | undefined> {
    await this.#writes;
    return (await this.#read())[key];
  }

  set(key: string, value: string): Promise<void> {
    const write = this.#writes.then(async () => {
      const values = await this.#read();
      values[key] = value;
      await this.#replace(JSON.stringify(values, null, 2) + "\n");
    });
    // A failed write fails its caller; the next one starts from the file as it is.
    this.#writes = write.catch(() => undefined);
    return write;
  }

  async #read(): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
      throw error;
    }
    return JSON.parse(text) as Record<string, string>;
  }

  async #replace(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const file = await open(temporary, "w", 0o600);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, this.path);
  }
}
