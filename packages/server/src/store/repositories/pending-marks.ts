/**
 * Pending marks: the transactional outbox. A change writes (or merges into) one mark per active
 * subscription in the same transaction as the change itself; the dispatcher claims due marks with
 * a lease (claims.ts), sends them, and clears or reschedules them. Folding marks that wait side by
 * side is in mark-folding.ts.
 */
import { sql } from "kysely";
import type { SecretBox } from "../../crypto/secret-box.js";
import { isPostgres } from "../dialect.js";
import { lifecyclePayloadContext } from "./sealed-secrets.js";
import type { Executor } from "./types.js";

export interface NewChanges {
  resourceId: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  now: number;
  dueAt: number;
}

/**
 * Marks every active subscription of a resource as having changes. A change mark that no node
 * holds — not yet sent, or waiting for its retry — absorbs the new changes: that is coalescing, and
 * it keeps a failing receiver to one waiting notification per subscription. The merged mark keeps
 * its schedule (due time, attempts, first attempt): a stream of changes must not stretch a dead
 * receiver's retry window forever, and the thin notification that finally gets through (or the
 * dead letter, which covers first_seq..last_seq) announces the new changes as well as the old. A
 * mark being sent is left alone and the changes get a fresh mark, so none goes unannounced.
 * Lifecycle marks are ready-made events and never absorb changes.
 */
export async function markSubscriptions(db: Executor, changes: NewChanges): Promise<void> {
  if (isPostgres(db)) await markSubscriptionsAtomically(db, changes);
  else await markSubscriptionsInTurn(db, changes);
}

function activeSubscriptions(db: Executor, changes: NewChanges) {
  return db
    .selectFrom("subscriptions")
    .select("id")
    .where("resource_id", "=", changes.resourceId)
    .where("disabled_at", "is", null)
    .where("expires_at", ">", changes.now);
}

function mergeIntoWaitingMarks(db: Executor, changes: NewChanges) {
  return db
    .updateTable("pending_marks")
    .set((eb) => ({ last_seq: changes.lastSeq, change_count: eb("change_count", "+", changes.count) }))
    .where("claimed_by", "is", null)
    .where("kind", "=", "change")
    .where("subscription_id", "in", activeSubscriptions(db, changes));
}

/**
 * The new marks' values are bound parameters, not literals: with literals every change wrote a
 * statement of its own text, which was prepared anew each time and pushed the hot statements out
 * of the statement cache (store/statement-cache.ts). The cast tells PostgreSQL the parameter's
 * type, which it cannot infer in a select list.
 */
function newMarkColumns(changes: NewChanges) {
  const integer = (value: number) => sql<number>`cast(${value} as bigint)`;
  return [
    "s.id",
    "s.notification_url",
    integer(changes.firstSeq).as("first_seq"),
    integer(changes.lastSeq).as("last_seq"),
    integer(changes.count).as("change_count"),
    integer(changes.now).as("created_at"),
    integer(changes.dueAt).as("due_at"),
    sql.lit(0).as("attempts"),
  ] as const;
}

const NEW_MARK_COLUMNS = [
  "subscription_id",
  "notification_url",
  "first_seq",
  "last_seq",
  "change_count",
  "created_at",
  "due_at",
  "attempts",
] as const;

/**
 * PostgreSQL: one statement, so the insert covers exactly the subscriptions the merge missed. Two
 * statements would each see their own snapshot: a mark a node hands back (a failed delivery
 * rescheduled, a claim released) between them is invisible to the merge, yet it would stop the
 * insert — and the change would be announced by nothing. A mark claimed while the merge waits for
 * its row lock is re-checked by PostgreSQL, found claimed, and left out of `merged`.
 */
async function markSubscriptionsAtomically(db: Executor, changes: NewChanges): Promise<void> {
  await db
    .with("merged", () => mergeIntoWaitingMarks(db, changes).returning("subscription_id"))
    .insertInto("pending_marks")
    .columns([...NEW_MARK_COLUMNS])
    .expression((eb) =>
      eb
        .selectFrom("subscriptions as s")
        .select([...newMarkColumns(changes)])
        .where("s.resource_id", "=", changes.resourceId)
        .where("s.disabled_at", "is", null)
        .where("s.expires_at", ">", changes.now)
        .where("s.id", "not in", eb.selectFrom("merged").select("merged.subscription_id")),
    )
    .execute();
}

/**
 * SQLite: a write transaction holds the database's one write lock from its first write, so no
 * claim or release can come between the merge and the insert; the insert's check sees what the
 * merge saw.
 */
async function markSubscriptionsInTurn(db: Executor, changes: NewChanges): Promise<void> {
  await mergeIntoWaitingMarks(db, changes).execute();
  await db
    .insertInto("pending_marks")
    .columns([...NEW_MARK_COLUMNS])
    .expression((eb) =>
      eb
        .selectFrom("subscriptions as s")
        .select([...newMarkColumns(changes)])
        .where("s.resource_id", "=", changes.resourceId)
        .where("s.disabled_at", "is", null)
        .where("s.expires_at", ">", changes.now)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom("pending_marks as m")
                .select("m.id")
                .whereRef("m.subscription_id", "=", "s.id")
                .where("m.claimed_by", "is", null)
                .where("m.kind", "=", "change"),
            ),
          ),
        ),
    )
    .execute();
}

export async function deleteMarks(db: Executor, ids: number[]): Promise<void> {
  // In slices, to stay under the databases' limits on bound variables.
  for (let i = 0; i < ids.length; i += 5000) {
    await db
      .deleteFrom("pending_marks")
      .where("id", "in", ids.slice(i, i + 5000))
      .execute();
  }
}

/** A failed mark waits for its next attempt, unclaimed. */
export async function rescheduleMark(
  db: Executor,
  mark: { id: number; attempts: number; firstAttemptAt: number; dueAt: number; error: string },
): Promise<void> {
  await db
    .updateTable("pending_marks")
    .set({
      attempts: mark.attempts,
      first_attempt_at: mark.firstAttemptAt,
      due_at: mark.dueAt,
      last_error: mark.error,
      claimed_by: null,
      lease_until: null,
    })
    .where("id", "=", mark.id)
    .execute();
}

export async function insertMark(
  db: Executor,
  mark: {
    subscriptionId: string;
    notificationUrl: string;
    firstSeq: number;
    lastSeq: number;
    changeCount: number;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto("pending_marks")
    .values({
      subscription_id: mark.subscriptionId,
      notification_url: mark.notificationUrl,
      first_seq: mark.firstSeq,
      last_seq: mark.lastSeq,
      change_count: mark.changeCount,
      created_at: mark.now,
      due_at: mark.now,
      attempts: 0,
    })
    .execute();
}

export async function countMarks(db: Executor, subscriptionId?: string): Promise<number> {
  let q = db.selectFrom("pending_marks").select((eb) => eb.fn.countAll<number>().as("n"));
  if (subscriptionId) q = q.where("subscription_id", "=", subscriptionId);
  const row = await q.executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Queues a ready-made lifecycle event (Graph's lifecycleNotificationUrl), due at once. */
export async function insertLifecycleMark(
  db: Executor,
  secrets: SecretBox,
  mark: {
    subscriptionId: string;
    url: string;
    surface: string;
    payload: Record<string, unknown>;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto("pending_marks")
    .values({
      subscription_id: mark.subscriptionId,
      notification_url: mark.url,
      first_seq: 0,
      last_seq: 0,
      change_count: 0,
      created_at: mark.now,
      due_at: mark.now,
      attempts: 0,
      kind: "lifecycle",
      surface: mark.surface,
      payload: secrets.seal(JSON.stringify(mark.payload), lifecyclePayloadContext(mark.subscriptionId)),
    })
    .execute();
}
