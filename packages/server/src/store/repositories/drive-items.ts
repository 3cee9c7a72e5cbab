/**
 * Drive items (OneDrive files and folders) in the items table: `parent_key` and `name` make the
 * tree, `item_type` is `file`, `folder` or `deleted`, `content` holds a file's bytes. A deleted
 * item stays as a tombstone (name, parent, what it was) until the journal entry of its deletion is
 * pruned, so a delta round can still say where it was. Also the one journal query delta needs.
 */
import type { Executor } from "./types.js";

export type DriveItemType = "file" | "folder" | "deleted";

export interface DriveItemRecord {
  resourceId: string;
  id: string;
  /** Creation order within the drive; initial delta enumerations page by it. */
  number: number;
  guid: string;
  parentId: string | null;
  name: string;
  type: DriveItemType;
  /** What a tombstone was before it was deleted. */
  deletedType: "file" | "folder" | null;
  mimeType: string | null;
  size: number;
  /** Bumped when a file's bytes change (cTag); `version` is bumped by every change (eTag). */
  contentVersion: number;
  version: number;
  createdAt: number;
  modifiedAt: number;
  createdBy: string | null;
  modifiedBy: string | null;
}

interface StoredFields {
  mimeType?: string | null;
  size?: number;
  contentVersion?: number;
  deletedType?: "file" | "folder" | null;
}

const columns = [
  "resource_id",
  "item_key",
  "number",
  "guid",
  "fields",
  "version",
  "created_at",
  "modified_at",
  "created_by",
  "modified_by",
  "parent_key",
  "name",
  "item_type",
] as const;

type DriveRow = {
  resource_id: string;
  item_key: string;
  number: number | null;
  guid: string;
  fields: string;
  version: number;
  created_at: number;
  modified_at: number;
  created_by: string | null;
  modified_by: string | null;
  parent_key: string | null;
  name: string | null;
  item_type: string | null;
};

function toRecord(row: DriveRow): DriveItemRecord {
  const fields = JSON.parse(row.fields) as StoredFields;
  return {
    resourceId: row.resource_id,
    id: row.item_key,
    number: row.number ?? 0,
    guid: row.guid,
    parentId: row.parent_key,
    name: row.name ?? "",
    type: (row.item_type ?? "file") as DriveItemType,
    deletedType: fields.deletedType ?? null,
    mimeType: fields.mimeType ?? null,
    size: fields.size ?? 0,
    contentVersion: fields.contentVersion ?? 1,
    version: row.version,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    createdBy: row.created_by,
    modifiedBy: row.modified_by,
  };
}

function fieldsOf(item: DriveItemRecord): string {
  const fields: StoredFields = { size: item.size, contentVersion: item.contentVersion };
  if (item.mimeType) fields.mimeType = item.mimeType;
  if (item.deletedType) fields.deletedType = item.deletedType;
  return JSON.stringify(fields);
}

/** Every item of a drive, tombstones included, without file contents. */
export async function loadDriveItems(db: Executor, resourceId: string): Promise<DriveItemRecord[]> {
  const rows = await db
    .selectFrom("items")
    .select(columns)
    .where("resource_id", "=", resourceId)
    .where("item_type", "in", ["file", "folder", "deleted"])
    .orderBy("number")
    .execute();
  return rows.map(toRecord);
}

export async function findDriveItem(
  db: Executor,
  resourceId: string,
  id: string,
): Promise<DriveItemRecord | undefined> {
  const row = await db
    .selectFrom("items")
    .select(columns)
    .where("resource_id", "=", resourceId)
    .where("item_key", "=", id)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Inserts an item; with `ifMissing`, an existing item of that id is left alone (the root, made on first use). */
export async function insertDriveItem(
  db: Executor,
  item: DriveItemRecord,
  content: Buffer | null,
  options: { ifMissing?: boolean } = {},
): Promise<void> {
  const insert = db.insertInto("items").values({
    resource_id: item.resourceId,
    item_key: item.id,
    number: item.number,
    guid: item.guid,
    fields: fieldsOf(item),
    version: item.version,
    created_at: item.createdAt,
    modified_at: item.modifiedAt,
    created_by: item.createdBy,
    modified_by: item.modifiedBy,
    parent_key: item.parentId,
    name: item.name,
    item_type: item.type,
    content,
  });
  await (
    options.ifMissing
      ? insert.onConflict((oc) => oc.columns(["resource_id", "item_key"]).doNothing())
      : insert
  ).execute();
}

/** Writes an item's mutable state; `content` undefined leaves the bytes as they are. */
export async function saveDriveItem(
  db: Executor,
  item: DriveItemRecord,
  content?: Buffer | null,
): Promise<void> {
  await db
    .updateTable("items")
    .set({
      fields: fieldsOf(item),
      version: item.version,
      modified_at: item.modifiedAt,
      modified_by: item.modifiedBy,
      parent_key: item.parentId,
      name: item.name,
      item_type: item.type,
      ...(content !== undefined && { content }),
    })
    .where("resource_id", "=", item.resourceId)
    .where("item_key", "=", item.id)
    .execute();
}

export async function readDriveContent(db: Executor, resourceId: string, id: string): Promise<Buffer> {
  const row = await db
    .selectFrom("items")
    .select("content")
    .where("resource_id", "=", resourceId)
    .where("item_key", "=", id)
    .executeTakeFirst();
  return row?.content ? Buffer.from(row.content) : Buffer.alloc(0);
}

/** Where a stretch of a slice's changed items starts: after a change, then past a number of entries. */
export interface ChangedItemsFrom {
  /** Only entries whose first change in the slice comes after this seq. */
  afterSeq: number;
  /** Entries to pass over first (a token that kept only its offset into the list). */
  skip: number;
}

/**
 * A stretch of the list of items changed in a slice of a resource's journal (`afterSeq < seq <=
 * untilSeq`): each item once, at its first change in the slice, in the order of those changes (so
 * a folder comes before what was put in it). The journal is walked in seq order from `from`, and a
 * change is an entry only when its item has no earlier change in the slice: one seek into
 * `changes_by_item` each. A page so costs what it reads, where grouping the whole slice by item
 * cost what the slice holds: hundreds of milliseconds for a round over half a million changes.
 */
export async function changedItems(
  db: Executor,
  resourceId: string,
  slice: { afterSeq: number; untilSeq: number },
  from: ChangedItemsFrom,
  limit: number,
): Promise<Array<{ id: string; firstSeq: number }>> {
  const rows = await db
    .selectFrom("changes as c")
    .select(["c.item_key", "c.seq"])
    .where("c.resource_id", "=", resourceId)
    .where("c.seq", ">", from.afterSeq)
    .where("c.seq", "<=", slice.untilSeq)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("changes as e")
            .select("e.seq")
            .whereRef("e.resource_id", "=", "c.resource_id")
            .whereRef("e.item_key", "=", "c.item_key")
            .where("e.seq", ">", slice.afterSeq)
            .whereRef("e.seq", "<", "c.seq"),
        ),
      ),
    )
    .orderBy("c.seq")
    .limit(limit)
    .offset(from.skip)
    .execute();
  return rows.map((r) => ({ id: r.item_key, firstSeq: Number(r.seq) }));
}
