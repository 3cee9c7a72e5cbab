/**
 * Folding: after failed deliveries, a subscription's waiting change marks become one, so a failing
 * receiver has one waiting notification per subscription.
 */
import { isPostgres } from "../dialect.js";
import { deleteMarks } from "./pending-marks.js";
import type { Executor } from "./types.js";

/**
 * After failed deliveries were rescheduled: folds each subscription's unheld change marks into one,
 * so a failing receiver has one waiting notification per subscription. Changes that arrived while
 * a delivery was out got a mark of their own (see markSubscriptions); once that delivery failed,
 * both wait. The survivor is the mark with the oldest schedule (earliest first attempt, then the
 * oldest mark), for the same reason a merge keeps the waiting mark's schedule; it takes in the
 * others' sequence ranges and change counts. On PostgreSQL marks locked by a writer merging into
 * them right now are skipped rather than waited for (no lock-order deadlock with writers): they
 * stay separate until the next failure folds them.
 */
export async function foldWaitingMarks(db: Executor, subscriptionIds: string[]): Promise<void> {
  // In slices, to stay under the databases' limits on bound variables.
  for (let i = 0; i < subscriptionIds.length; i += 5000) {
    await foldSlice(db, subscriptionIds.slice(i, i + 5000));
  }
}

async function foldSlice(db: Executor, subscriptionIds: string[]): Promise<void> {
  let q = db
    .selectFrom("pending_marks")
    .select(["id", "subscription_id", "first_seq", "last_seq", "change_count", "first_attempt_at"])
    .where("subscription_id", "in", subscriptionIds)
    .where("claimed_by", "is", null)
    .where("kind", "=", "change")
    .orderBy("id");
  if (isPostgres(db)) q = q.forUpdate().skipLocked();
  const bySubscription = new Map<string, Awaited<ReturnType<typeof q.execute>>>();
  for (const row of await q.execute()) {
    const list = bySubscription.get(row.subscription_id);
    if (list) list.push(row);
    else bySubscription.set(row.subscription_id, [row]);
  }
  const folded: number[] = [];
  for (const marks of bySubscription.values()) {
    if (marks.length < 2) continue;
    const survivor = marks.reduce((oldest, m) =>
      m.first_attempt_at !== null &&
      (oldest.first_attempt_at === null || Number(m.first_attempt_at) < Number(oldest.first_attempt_at))
        ? m
        : oldest,
    );
    const others = marks.filter((m) => m !== survivor);
    await db
      .updateTable("pending_marks")
      .set({
        first_seq: Math.min(...marks.map((m) => Number(m.first_seq))),
        last_seq: Math.max(...marks.map((m) => Number(m.last_seq))),
        change_count: marks.reduce((sum, m) => sum + Number(m.change_count), 0),
      })
      .where("id", "=", survivor.id)
      .execute();
    folded.push(...others.map((m) => Number(m.id)));
  }
  await deleteMarks(db, folded);
}
