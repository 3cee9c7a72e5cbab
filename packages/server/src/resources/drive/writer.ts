/**
 * The writes of one drive request, inside one transaction: make folders and files, replace a
 * file's bytes, rename, move, delete a subtree. Each write keeps the in-memory tree in step and
 * collects the journal changes (keyed by item id) that ItemService.change commits with it.
 */
import { randomUUID } from "node:crypto";
import type { ChangeKind } from "../../store/repositories/journal.js";
import {
  insertDriveItem,
  saveDriveItem,
  type DriveItemRecord,
} from "../../store/repositories/drive-items.js";
import { takeItemNumber } from "../../store/repositories/resources.js";
import type { Executor } from "../../store/repositories/types.js";
import { mimeTypeOf } from "./names.js";
import type { DriveTree } from "./tree.js";

/** Item ids look like personal OneDrive's, `{drive cid}!{number}`: opaque, unique within the drive. */
export function itemIdOf(driveId: string, number: number): string {
  return `${driveId.replace(/-/g, "").slice(0, 16).toUpperCase()}!${number}`;
}

export class DriveWriter {
  readonly changes: Array<{ item: string; kind: ChangeKind }> = [];

  constructor(
    private readonly trx: Executor,
    readonly tree: DriveTree,
    private readonly driveId: string,
    private readonly actorId: string,
    private readonly now: number,
  ) {}

  async createFolder(parentId: string, name: string): Promise<DriveItemRecord> {
    return this.create(parentId, name, "folder", null);
  }

  async createFile(parentId: string, name: string, content: Buffer): Promise<DriveItemRecord> {
    return this.create(parentId, name, "file", content);
  }

  async replaceContent(item: DriveItemRecord, content: Buffer): Promise<DriveItemRecord> {
    const updated = {
      ...this.touched(item),
      size: content.length,
      mimeType: mimeTypeOf(item.name),
      contentVersion: item.contentVersion + 1,
    };
    await this.save(updated, "update", content);
    return updated;
  }

  /** Renames and/or moves; a move is journaled as `move`, a rename alone as `rename`. */
  async relocate(item: DriveItemRecord, parentId: string, name: string): Promise<DriveItemRecord> {
    const moved = parentId !== item.parentId;
    if (!moved && name === item.name) return item;
    const updated = {
      ...this.touched(item),
      parentId,
      name,
      mimeType: item.type === "file" ? mimeTypeOf(name) : null,
    };
    await this.save(updated, moved ? "move" : "rename");
    return updated;
  }

  /** Deletes an item and everything below it; each becomes a tombstone and a `delete` change. */
  async deleteSubtree(item: DriveItemRecord): Promise<void> {
    for (const victim of [item, ...this.tree.descendantsOf(item.id)]) {
      const tombstone: DriveItemRecord = {
        ...this.touched(victim),
        type: "deleted",
        deletedType: victim.type === "deleted" ? victim.deletedType : victim.type,
      };
      await this.save(tombstone, "delete", null);
    }
  }

  private async create(
    parentId: string,
    name: string,
    type: "file" | "folder",
    content: Buffer | null,
  ): Promise<DriveItemRecord> {
    const number = await takeItemNumber(this.trx, this.driveId, this.now);
    const record: DriveItemRecord = {
      resourceId: this.driveId,
      id: itemIdOf(this.driveId, number),
      number,
      guid: randomUUID(),
      parentId,
      name,
      type,
      deletedType: null,
      mimeType: type === "file" ? mimeTypeOf(name) : null,
      size: content?.length ?? 0,
      contentVersion: 1,
      version: 1,
      createdAt: this.now,
      modifiedAt: this.now,
      createdBy: this.actorId,
      modifiedBy: this.actorId,
    };
    await insertDriveItem(this.trx, record, content);
    this.tree.add(record);
    this.changes.push({ item: record.id, kind: "add" });
    return record;
  }

  private touched(item: DriveItemRecord): DriveItemRecord {
    return { ...item, version: item.version + 1, modifiedAt: this.now, modifiedBy: this.actorId };
  }

  private async save(record: DriveItemRecord, kind: ChangeKind, content?: Buffer | null): Promise<void> {
    await saveDriveItem(this.trx, record, content);
    this.tree.add(record);
    this.changes.push({ item: record.id, kind });
  }
}
