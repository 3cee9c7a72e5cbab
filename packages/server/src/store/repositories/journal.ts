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
  /** From the first change at or after this time on (SharePoint `-1` start tokens). */
  sinceTime?: number;
  /** Up to the last change at or before this time (SharePoint `-1` end tokens). */
  untilTime?: number;
  kinds?: ChangeKind[];
  limit?: number;
  newestFirst?: boolean;
}

/**
 * A page of a resource's journal in sequence order. Times are first turned into sequence positions
 * (see seqRangeOf), so every page is read the same way: a bounded range of `(resource_id, seq)`.
 * Filtering `at` while reading by seq would walk the resource's journal from its start (or end)
 * until the time is reached: a page from the middle of a million changes took over a hundred times
 * as long as one from a thousand (bench/feed-page.js).
 */
export async function readChanges(db: Executor, query: ChangeQuery): Promise<ChangeRecord[]> {
  const range = await seqRangeOf(db, query);
  if (range === null) return [];
  let q = db.selectFrom("changes").selectAll().where("resource_id", "=", query.resourceId);
  if (range.afterSeq !== undefined) q = q.where("seq", ">", range.afterSeq);
  if (range.untilSeq !== undefined) q = q.where("seq", "<=", range.untilSeq);
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

interface SeqRange {
  afterSeq?: number;
  untilSeq?: number;
}

/**
 * The query's bounds as sequence positions, or null when the times leave nothing to read. A
 * resource's changes are appended in time order (each takes the node's clock as it is appended),
 * so the first change at or after a time is where the feed "from that time on" starts. Nodes whose
 * clocks disagree by some amount misplace only changes appended within that much of the time.
 */
async function seqRangeOf(db: Executor, query: ChangeQuery): Promise<SeqRange | null> {
  const range: SeqRange = {
    ...(query.afterSeq !== undefined && { afterSeq: query.afterSeq }),
    ...(query.untilSeq !== undefined && { untilSeq: query.untilSeq }),
  };
  if (query.sinceTime !== undefined) {
    const first = await firstSeqSince(db, query.resourceId, query.sinceTime);
    if (first === undefined) return null;
    range.afterSeq = Math.max(range.afterSeq ?? 0, first - 1);
  }
  if (query.untilTime !== undefined) {
    const last = await lastSeqUntil(db, query.resourceId, query.untilTime);
    if (last === undefined) return null;
    range.untilSeq = Math.min(range.untilSeq ?? last, last);
  }
  return range;
}

/** The seq of a resource's first change at or after `time`: one seek into `changes_by_resource_time`. */
async function firstSeqSince(db: Executor, resourceId: string, time: number): Promise<number | undefined> {
  const row = await db
    .selectFrom("changes")
    .select("seq")
    .where("resource_id", "=", resourceId)
    .where("at", ">=", time)
    .orderBy("at")
    .orderBy("seq")
    .limit(1)
    .executeTakeFirst();
  return row && Number(row.seq);
}

/** The seq of a resource's last change at or before `time`: one seek into `changes_by_resource_time`. */
async function lastSeqUntil(db: Executor, resourceId: string, time: number): Promise<number | undefined> {
  const row = await db
    .selectFrom("changes")
    .select("seq")
    .where("resource_id", "=", resourceId)
    .where("at", "<=", time)
    .orderBy("at", "desc")
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  return row && Number(row.seq);
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
