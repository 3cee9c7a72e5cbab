/** Items inside resources (list items, drive items, pages). */
import type { Executor } from "./types.js";

export interface ItemRecord {
  resourceId: string;
  key: string;
  number: number | null;
  guid: string;
  fields: Record<string, unknown>;
  version: number;
  createdAt: number;
  modifiedAt: number;
  createdBy: string | null;
  modifiedBy: string | null;
}

type ItemRow = {
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
};

function toItem(row: ItemRow): ItemRecord {
  return {
    resourceId: row.resource_id,
    key: row.item_key,
    number: row.number,
    guid: row.guid,
    fields: JSON.parse(row.fields) as Record<string, unknown>,
    version: row.version,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
    createdBy: row.created_by,
    modifiedBy: row.modified_by,
  };
}

export async function insertItem(db: Executor, item: ItemRecord): Promise<void> {
  await db
    .insertInto("items")
    .values({
      resource_id: item.resourceId,
      item_key: item.key,
      number: item.number,
      guid: item.guid,
      fields: JSON.stringify(item.fields),
      version: item.version,
      created_at: item.createdAt,
      modified_at: item.modifiedAt,
      created_by: item.createdBy,
      modified_by: item.modifiedBy,
    })
    .execute();
}

export async function findItem(
  db: Executor,
  resourceId: string,
  key: string,
): Promise<ItemRecord | undefined> {
  const row = await db
    .selectFrom("items")
    .selectAll()
    .where("resource_id", "=", resourceId)
    .where("item_key", "=", key)
    .executeTakeFirst();
  return row && toItem(row);
}

export async function listItems(db: Executor, resourceId: string, limit = 5000): Promise<ItemRecord[]> {
  const rows = await db
    .selectFrom("items")
    .selectAll()
    .where("resource_id", "=", resourceId)
    .orderBy("number")
    .orderBy("item_key")
    .limit(limit)
    .execute();
  return rows.map(toItem);
}

export async function updateItem(
  db: Executor,
  item: Pick<ItemRecord, "resourceId" | "key" | "fields" | "modifiedAt" | "modifiedBy">,
): Promise<number> {
  const row = await db
    .updateTable("items")
    .set((eb) => ({
      fields: JSON.stringify(item.fields),
      version: eb("version", "+", 1),
      modified_at: item.modifiedAt,
      modified_by: item.modifiedBy,
    }))
    .where("resource_id", "=", item.resourceId)
    .where("item_key", "=", item.key)
    .returning("version")
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function deleteItem(db: Executor, resourceId: string, key: string): Promise<boolean> {
  const result = await db
    .deleteFrom("items")
    .where("resource_id", "=", resourceId)
    .where("item_key", "=", key)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
