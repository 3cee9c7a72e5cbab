/**
 * A snapshot of one drive's tree in memory: lookups by id and by name (case-insensitive, as
 * OneDrive names are), paths, child counts, folder sizes and "is this inside that folder". Loaded
 * per request (or inside a write's transaction); a stand-in's drives are small enough for that.
 */
import type { DriveItemRecord } from "../../store/repositories/drive-items.js";

export class DriveTree {
  readonly #byId = new Map<string, DriveItemRecord>();
  readonly #children = new Map<string, DriveItemRecord[]>();
  readonly #sizes = new Map<string, number>();

  constructor(
    records: DriveItemRecord[],
    readonly rootId: string,
  ) {
    for (const record of records) this.add(record);
  }

  get root(): DriveItemRecord {
    return this.#byId.get(this.rootId)!;
  }

  /** Any item, tombstones included. */
  get(id: string): DriveItemRecord | undefined {
    return this.#byId.get(id);
  }

  /** An item that exists now (not deleted). */
  live(id: string): DriveItemRecord | undefined {
    const item = this.#byId.get(id);
    return item && item.type !== "deleted" ? item : undefined;
  }

  /** Every item, tombstones included, in creation order. */
  all(): DriveItemRecord[] {
    return [...this.#byId.values()].sort((a, b) => a.number - b.number);
  }

  childrenOf(id: string): DriveItemRecord[] {
    return (this.#children.get(id) ?? []).filter((c) => c.type !== "deleted");
  }

  childNamed(parentId: string, name: string): DriveItemRecord | undefined {
    const wanted = name.toLowerCase();
    return this.childrenOf(parentId).find((c) => c.name.toLowerCase() === wanted);
  }

  /** `/a/b` for an item at root:/a/b, `` for the root. */
  pathOf(id: string): string {
    const names: string[] = [];
    for (let item = this.get(id); item && item.id !== this.rootId; item = this.parentOf(item)) {
      names.unshift(item.name);
      if (names.length > 10_000) break; // a cycle would be a bug; never loop forever on one
    }
    return names.map((n) => `/${n}`).join("");
  }

  /** Whether an item is `ancestorId` or lies below it (tombstones keep their last parent). */
  isWithin(id: string, ancestorId: string): boolean {
    let steps = 0;
    for (let item = this.get(id); item; item = this.parentOf(item)) {
      if (item.id === ancestorId) return true;
      if (++steps > 10_000) return false;
    }
    return false;
  }

  /** Live descendants, parents before their children. */
  descendantsOf(id: string): DriveItemRecord[] {
    const out: DriveItemRecord[] = [];
    for (const child of this.childrenOf(id)) out.push(child, ...this.descendantsOf(child.id));
    return out;
  }

  /** A file's size, or the total size of the files below a folder (as OneDrive reports it). */
  sizeOf(id: string): number {
    const item = this.live(id);
    if (!item) return 0;
    if (item.type === "file") return item.size;
    const cached = this.#sizes.get(id);
    if (cached !== undefined) return cached;
    const total = this.childrenOf(id).reduce((sum, c) => sum + this.sizeOf(c.id), 0);
    this.#sizes.set(id, total);
    return total;
  }

  /** Keeps the snapshot in step with a write made in the same transaction. */
  add(record: DriveItemRecord): void {
    const previous = this.#byId.get(record.id);
    if (previous?.parentId) {
      const siblings = this.#children.get(previous.parentId) ?? [];
      this.#children.set(
        previous.parentId,
        siblings.filter((s) => s.id !== record.id),
      );
    }
    this.#byId.set(record.id, record);
    if (record.parentId) {
      const siblings = this.#children.get(record.parentId) ?? [];
      siblings.push(record);
      this.#children.set(record.parentId, siblings);
    }
    this.#sizes.clear();
  }

  private parentOf(item: DriveItemRecord): DriveItemRecord | undefined {
    return item.parentId ? this.get(item.parentId) : undefined;
  }
}
