/**
 * OneNote notebooks, sections and pages: rows of `items` in a user's notebook container, linked by
 * `parent_key` (section → notebook, page → section), named by `name` (a page's title) and typed by
 * `item_type`. A page's body HTML is `content`. Queries span several containers at once, because a
 * user sees their own notebooks and the ones shared with them in one list.
 *
 * Longer than 250 lines: the one repository of the notes tree, a query per question the service
 * asks; splitting it by level would repeat the row mapping three times.
 */
import type { Executor } from "./types.js";

export type NoteItemType = "notebook" | "section" | "page";

export interface NoteRecord {
  containerId: string;
  id: string;
  type: NoteItemType;
  name: string;
  parentId: string | null;
  createdAt: number;
  modifiedAt: number;
  createdBy: string | null;
  modifiedBy: string | null;
  createdByAppId: string | null;
  /** The parent (a section's notebook, a page's section) and its own parent (a page's notebook). */
  parent: { id: string; name: string } | null;
  grandparent: { id: string; name: string } | null;
}

export interface NewNoteItem {
  containerId: string;
  id: string;
  guid: string;
  type: NoteItemType;
  name: string;
  parentId: string | null;
  content: string | null;
  createdAt: number;
  createdBy: string;
  createdByAppId: string | null;
}

export type NoteColumn = "createdAt" | "modifiedAt" | "name";
export type NoteComparison = "ge" | "gt" | "le" | "lt" | "eq";

export interface NoteItemQuery {
  containerIds: string[];
  type: NoteItemType;
  /** Only children of these parents (a notebook's sections, a section's pages). */
  parentId?: string;
  where: Array<{ column: "createdAt" | "modifiedAt"; op: NoteComparison; at: number }>;
  orderBy: Array<{ column: NoteColumn; descending: boolean }>;
  limit: number;
  offset: number;
}

const columns = { createdAt: "i.created_at", modifiedAt: "i.modified_at", name: "i.name" } as const;
const operators = { ge: ">=", gt: ">", le: "<=", lt: "<", eq: "=" } as const;

function baseQuery(db: Executor) {
  return db
    .selectFrom("items as i")
    .leftJoin("items as p", (join) =>
      join.onRef("p.resource_id", "=", "i.resource_id").onRef("p.item_key", "=", "i.parent_key"),
    )
    .leftJoin("items as g", (join) =>
      join.onRef("g.resource_id", "=", "p.resource_id").onRef("g.item_key", "=", "p.parent_key"),
    )
    .select([
      "i.resource_id",
      "i.item_key",
      "i.item_type",
      "i.name",
      "i.parent_key",
      "i.fields",
      "i.created_at",
      "i.modified_at",
      "i.created_by",
      "i.modified_by",
      "p.name as parent_name",
      "g.item_key as grandparent_key",
      "g.name as grandparent_name",
    ]);
}

type NoteRow = {
  resource_id: string;
  item_key: string;
  item_type: string | null;
  name: string | null;
  parent_key: string | null;
  fields: string;
  created_at: number;
  modified_at: number;
  created_by: string | null;
  modified_by: string | null;
  parent_name: string | null;
  grandparent_key: string | null;
  grandparent_name: string | null;
};

function toNote(row: NoteRow): NoteRecord {
  const fields = JSON.parse(row.fields) as { createdByAppId?: string };
  return {
    containerId: row.resource_id,
    id: row.item_key,
    type: row.item_type as NoteItemType,
    name: row.name ?? "",
    parentId: row.parent_key,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    createdBy: row.created_by,
    modifiedBy: row.modified_by,
    createdByAppId: fields.createdByAppId ?? null,
    parent: row.parent_key ? { id: row.parent_key, name: row.parent_name ?? "" } : null,
    grandparent: row.grandparent_key ? { id: row.grandparent_key, name: row.grandparent_name ?? "" } : null,
  };
}

export async function insertNoteItem(db: Executor, item: NewNoteItem): Promise<void> {
  await db
    .insertInto("items")
    .values({
      resource_id: item.containerId,
      item_key: item.id,
      number: null,
      guid: item.guid,
      fields: JSON.stringify({ createdByAppId: item.createdByAppId }),
      version: 1,
      created_at: item.createdAt,
      modified_at: item.createdAt,
      created_by: item.createdBy,
      modified_by: item.createdBy,
      parent_key: item.parentId,
      name: item.name,
      item_type: item.type,
      content: item.content === null ? null : Buffer.from(item.content, "utf8"),
    })
    .execute();
}

/** An item of a type in any of the containers (ids are unique across containers). */
export async function findNoteItem(
  db: Executor,
  containerIds: string[],
  type: NoteItemType,
  id: string,
): Promise<NoteRecord | undefined> {
  if (containerIds.length === 0) return undefined;
  const row = await baseQuery(db)
    .where("i.resource_id", "in", containerIds)
    .where("i.item_key", "=", id)
    .where("i.item_type", "=", type)
    .executeTakeFirst();
  return row && toNote(row);
}

/** A page's body HTML. */
export async function readNoteContent(
  db: Executor,
  containerId: string,
  id: string,
): Promise<string | undefined> {
  const row = await db
    .selectFrom("items")
    .select("content")
    .where("resource_id", "=", containerId)
    .where("item_key", "=", id)
    .executeTakeFirst();
  return row && (row.content ? Buffer.from(row.content).toString("utf8") : "");
}

/** Items of a type matching the query, in its order; ties broken by id so skip-paging is stable. */
export async function queryNoteItems(db: Executor, query: NoteItemQuery): Promise<NoteRecord[]> {
  if (query.containerIds.length === 0) return [];
  let q = baseQuery(db)
    .where("i.resource_id", "in", query.containerIds)
    .where("i.item_type", "=", query.type);
  if (query.parentId !== undefined) q = q.where("i.parent_key", "=", query.parentId);
  for (const condition of query.where)
    q = q.where(columns[condition.column], operators[condition.op], condition.at);
  for (const order of query.orderBy) q = q.orderBy(columns[order.column], order.descending ? "desc" : "asc");
  const rows = await q.orderBy("i.item_key").limit(query.limit).offset(query.offset).execute();
  return rows.map(toNote);
}

/** Whether a sibling of this type already has the name (case-insensitive, as OneNote compares). */
export async function noteNameTaken(
  db: Executor,
  containerId: string,
  type: NoteItemType,
  parentId: string | null,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db
    .selectFrom("items")
    .select("item_key")
    .where("resource_id", "=", containerId)
    .where("item_type", "=", type)
    .where((eb) => eb(eb.fn("lower", ["name"]), "=", name.toLowerCase()));
  q = parentId === null ? q.where("parent_key", "is", null) : q.where("parent_key", "=", parentId);
  if (exceptId !== undefined) q = q.where("item_key", "!=", exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function updateNoteItem(
  db: Executor,
  change: {
    containerId: string;
    id: string;
    name?: string;
    content?: string;
    modifiedAt: number;
    modifiedBy: string;
  },
): Promise<void> {
  await db
    .updateTable("items")
    .set((eb) => ({
      ...(change.name !== undefined && { name: change.name }),
      ...(change.content !== undefined && { content: Buffer.from(change.content, "utf8") }),
      version: eb("version", "+", 1),
      modified_at: change.modifiedAt,
      modified_by: change.modifiedBy,
    }))
    .where("resource_id", "=", change.containerId)
    .where("item_key", "=", change.id)
    .execute();
}

/** Moves an item's lastModifiedTime without a new version (a section or notebook whose page changed). */
export async function touchNoteItems(
  db: Executor,
  containerId: string,
  ids: string[],
  modifiedAt: number,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("items")
    .set({ modified_at: modifiedAt })
    .where("resource_id", "=", containerId)
    .where("item_key", "in", ids)
    .execute();
}

/** The ids of the children of some items (to delete a notebook with its sections and pages). */
export async function listNoteChildIds(
  db: Executor,
  containerId: string,
  parentIds: string[],
): Promise<string[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .selectFrom("items")
    .select("item_key")
    .where("resource_id", "=", containerId)
    .where("parent_key", "in", parentIds)
    .execute();
  return rows.map((r) => r.item_key);
}

export async function deleteNoteItems(db: Executor, containerId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom("items").where("resource_id", "=", containerId).where("item_key", "in", ids).execute();
}
