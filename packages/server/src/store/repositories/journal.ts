/** The change journal: append-only, read in sequence order by every change feed. */
import { isPostgres } from "../dialect.js";
import type { Executor } from "./types.js";

export type ChangeKind = "add" | "update" | "delete" | "move" | "rename";

export interface ChangeRecord {
  seq: number;
  resourceId: string;
  itemKey: string;
  kind: ChangeKind;
  at: number;
  actorId: string | null;
}

export type NewChange = Omit<ChangeRecord, "seq">;

/**
 * Appends changes and returns their sequence numbers. Feeds read a resource's journal by `seq >
 * token`, so the changes of one resource must become visible in seq order: a change committed
 * after a reader moved past its seq would never be read. SQLite has one writer at a time, so that
 * holds by itself; on PostgreSQL two transactions can take seqs 7 and 8 and commit 8 first, so each
 * appender first locks the resource's row until it commits (the next one takes its seq after that).
 */
export async function appendChanges(db: Executor, changes: NewChange[]): Promise<number[]> {
  if (changes.length === 0) return [];
  if (isPostgres(db)) {
    const resourceIds = [...new Set(changes.map((c) => c.resourceId))].sort();
    await db.selectFrom("resources").select("id").where("id", "in", resourceIds).forUpdate().execute();
  }
  const rows = await db
    .insertInto("changes")
    .values(
      changes.map((c) => ({
        resource_id: c.resourceId,
        item_key: c.itemKey,
        kind: c.kind,
        at: c.at,
        actor_id: c.actorId,
      })),
    )
    .returning("seq")
    .execute();
  return rows.map((r) => Number(r.seq));
}

export interface ChangeQuery {
  resourceId: string;
  /** Changes with a sequence number greater than this. */
  afterSeq?: number;
  /** Changes with a sequence number at most this. */
  untilSeq?: number;
  /** Changes at or after this time (used by `-1` start tokens and lastModifiedTime queries). */
  sinceTime?: number;
  /** Changes at or before this time (SharePoint `-1` end tokens). */
  untilTime?: number;
  kinds?: ChangeKind[];
  limit?: number;
  newestFirst?: boolean;
}

export async function readChanges(db: Executor, query: ChangeQuery): Promise<ChangeRecord[]> {
  let q = db.selectFrom("changes").selectAll().where("resource_id", "=", query.resourceId);
  if (query.afterSeq !== undefined) q = q.where("seq", ">", query.afterSeq);
  if (query.untilSeq !== undefined) q = q.where("seq", "<=", query.untilSeq);
  if (query.sinceTime !== undefined) q = q.where("at", ">=", query.sinceTime);
  if (query.untilTime !== undefined) q = q.where("at", "<=", query.untilTime);
  if (query.kinds) q = q.where("kind", "in", query.kinds);
  q = q.orderBy("seq", query.newestFirst ? "desc" : "asc");
  if (query.limit !== undefined) q = q.limit(query.limit);
  const rows = await q.execute();
  return rows.map((r) => ({
    seq: r.seq,
    resourceId: r.resource_id,
    itemKey: r.item_key,
    kind: r.kind as ChangeKind,
    at: r.at,
    actorId: r.actor_id,
  }));
}

/** The newest sequence number of a resource's journal (0 when it has none). */
export async function latestSeq(db: Executor, resourceId: string): Promise<number> {
  const row = await db
    .selectFrom("changes")
    .select((eb) => eb.fn.max("seq").as("seq"))
    .where("resource_id", "=", resourceId)
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}
