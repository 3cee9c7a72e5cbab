/**
 * Pruning the journal: changes older than the retention go, and the resource remembers the highest
 * sequence number it lost (`resources.pruned_seq`), so a change token from before it is answered
 * with 410 Gone rather than with a silently incomplete list. Tombstones of drive items deleted
 * before the cut go with the journal entries that announced them.
 */
import { sql } from "kysely";
import { isPostgres } from "../dialect.js";
import type { Executor } from "./types.js";

export interface PruneResult {
  resources: number;
  changes: number;
  tombstones: number;
}

/**
 * Deletes, per resource (or for one), every change up to the newest one recorded before `before`:
 * a prefix of the journal, so what remains is exactly `seq > pruned_seq`.
 */
export async function pruneJournal(
  db: Executor,
  options: { before: number; resourceId?: string },
): Promise<PruneResult> {
  // Nodes sharing a PostgreSQL database all run the janitor; one pruning at a time is enough.
  if (isPostgres(db) && !(await tryPruningLock(db))) return { resources: 0, changes: 0, tombstones: 0 };
  let cut = db
    .selectFrom("changes")
    .select((eb) => ["resource_id", eb.fn.max("seq").as("seq")])
    .where("at", "<", options.before);
  if (options.resourceId) cut = cut.where("resource_id", "=", options.resourceId);
  const cuts = await cut.groupBy("resource_id").execute();
  let changes = 0;
  const greatest = isPostgres(db) ? "greatest" : "max";
  for (const { resource_id, seq } of cuts) {
    const deleted = await db
      .deleteFrom("changes")
      .where("resource_id", "=", resource_id)
      .where("seq", "<=", seq)
      .executeTakeFirst();
    changes += Number(deleted.numDeletedRows);
    await db
      .updateTable("resources")
      .set((eb) => ({
        // The larger of the two: SQLite's scalar max(a, b) is PostgreSQL's greatest(a, b).
        pruned_seq: eb.fn(greatest, [eb.ref("pruned_seq"), eb.val(seq)]),
        pruned_before: eb.fn(greatest, [eb.ref("pruned_before"), eb.val(options.before)]),
      }))
      .where("id", "=", resource_id)
      .execute();
  }
  let tombstones = db
    .deleteFrom("items")
    .where("item_type", "=", "deleted")
    .where("modified_at", "<", options.before);
  if (options.resourceId) tombstones = tombstones.where("resource_id", "=", options.resourceId);
  const purged = await tombstones.executeTakeFirst();
  return { resources: cuts.length, changes, tombstones: Number(purged.numDeletedRows) };
}

/** How far a resource's journal was pruned: its highest pruned seq, and the time before which changes may be gone. */
export async function pruningHorizon(
  db: Executor,
  resourceId: string,
): Promise<{ seq: number; before: number }> {
  const row = await db
    .selectFrom("resources")
    .select(["pruned_seq", "pruned_before"])
    .where("id", "=", resourceId)
    .executeTakeFirst();
  return { seq: Number(row?.pruned_seq ?? 0), before: Number(row?.pruned_before ?? 0) };
}

/** The highest sequence number pruned from a resource's journal (0 when nothing was). */
export async function prunedSeq(db: Executor, resourceId: string): Promise<number> {
  const row = await db
    .selectFrom("resources")
    .select("pruned_seq")
    .where("id", "=", resourceId)
    .executeTakeFirst();
  return Number(row?.pruned_seq ?? 0);
}

/** A transaction-level advisory lock that only one pruning transaction can hold; false if taken. */
async function tryPruningLock(db: Executor): Promise<boolean> {
  const { rows } = await sql<{
    locked: boolean;
  }>`select pg_try_advisory_xact_lock(hashtext('nudge:prune-journal')) as locked`.execute(db);
  return rows[0]?.locked === true;
}
