/**
 * Pruning the journal: changes older than the retention go, and the resource remembers the highest
 * sequence number it lost (`resources.pruned_seq`), so a change token from before it is answered
 * with 410 Gone rather than with a silently incomplete list. Tombstones of drive items deleted
 * before the cut go with the journal entries that announced them.
 */
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
  let cut = db
    .selectFrom("changes")
    .select((eb) => ["resource_id", eb.fn.max("seq").as("seq")])
    .where("at", "<", options.before);
  if (options.resourceId) cut = cut.where("resource_id", "=", options.resourceId);
  const cuts = await cut.groupBy("resource_id").execute();
  let changes = 0;
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
        pruned_seq: eb.fn("max", [eb.ref("pruned_seq"), eb.val(seq)]),
        pruned_before: eb.fn("max", [eb.ref("pruned_before"), eb.val(options.before)]),
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
