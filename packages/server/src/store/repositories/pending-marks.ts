/**
 * Pending marks: the transactional outbox. A change writes (or merges into) one mark per active
 * subscription in the same transaction as the change itself; the dispatcher claims due marks with
 * a lease, sends them, and clears or reschedules them.
 */
import { sql } from "kysely";
import { SecretUnreadableError, type SecretBox } from "../../crypto/secret-box.js";
import { isPostgres } from "../dialect.js";
import { lifecyclePayloadContext } from "./sealed-secrets.js";
import type { Executor } from "./types.js";

export interface ClaimedMark {
  id: number;
  subscriptionId: string;
  notificationUrl: string;
  firstSeq: number;
  lastSeq: number;
  changeCount: number;
  attempts: number;
  firstAttemptAt: number | null;
  createdAt: number;
  /** "change", or "lifecycle" for a ready-made lifecycle event. */
  kind: string;
  surface: string | null;
  /** A lifecycle event's JSON, opened; null for a change mark, or an event that does not open. */
  payload: string | null;
}

export interface NewChanges {
  resourceId: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  now: number;
  dueAt: number;
}

/**
 * Marks every active subscription of a resource as having changes. A mark that has not been sent
 * (not claimed, never tried) absorbs the new changes — that is coalescing; a mark being sent or
 * waiting for a retry is left alone and the changes get a fresh mark, so none goes unannounced.
 * Returns the number of subscriptions marked.
 */
export async function markSubscriptions(db: Executor, changes: NewChanges): Promise<number> {
  const active = db
    .selectFrom("subscriptions")
    .select("id")
    .where("resource_id", "=", changes.resourceId)
    .where("disabled_at", "is", null)
    .where("expires_at", ">", changes.now);
  const merged = await db
    .updateTable("pending_marks")
    .set((eb) => ({ last_seq: changes.lastSeq, change_count: eb("change_count", "+", changes.count) }))
    .where("claimed_by", "is", null)
    .where("attempts", "=", 0)
    .where("kind", "=", "change")
    .where("subscription_id", "in", active)
    .executeTakeFirst();
  const inserted = await db
    .insertInto("pending_marks")
    .columns([
      "subscription_id",
      "notification_url",
      "first_seq",
      "last_seq",
      "change_count",
      "created_at",
      "due_at",
      "attempts",
    ])
    .expression((eb) =>
      eb
        .selectFrom("subscriptions as s")
        .select([
          "s.id",
          "s.notification_url",
          sql.lit(changes.firstSeq).as("first_seq"),
          sql.lit(changes.lastSeq).as("last_seq"),
          sql.lit(changes.count).as("change_count"),
          sql.lit(changes.now).as("created_at"),
          sql.lit(changes.dueAt).as("due_at"),
          sql.lit(0).as("attempts"),
        ])
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
                .where("m.attempts", "=", 0)
                .where("m.kind", "=", "change"),
            ),
          ),
        ),
    )
    .executeTakeFirst();
  return Number(merged.numUpdatedRows) + Number(inserted.numInsertedOrUpdatedRows ?? 0);
}

export interface ClaimOptions {
  nodeId: string;
  now: number;
  leaseMs: number;
  limit: number;
  /** URLs already at their concurrency cap on this node: leave their marks for later. */
  skipUrls: string[];
  /** Opens the lifecycle events' payloads. */
  secrets: SecretBox;
}

/**
 * Claims due marks (or marks whose lease has run out) for this node, oldest due first. On
 * PostgreSQL several nodes claim at once: `FOR UPDATE SKIP LOCKED` lets each take rows no other
 * claim (or writer merging changes into a mark) holds, instead of waiting for them or taking them
 * twice; the UPDATE re-checks the conditions on the row it locked, so a mark claimed a moment ago
 * by another node is not claimed again.
 */
export async function claimDueMarks(db: Executor, options: ClaimOptions): Promise<ClaimedMark[]> {
  let due = db
    .selectFrom("pending_marks")
    .select("id")
    .where("due_at", "<=", options.now)
    .where((eb) => eb.or([eb("claimed_by", "is", null), eb("lease_until", "<", options.now)]));
  if (options.skipUrls.length > 0) due = due.where("notification_url", "not in", options.skipUrls);
  due = due.orderBy("due_at").orderBy("id").limit(options.limit);
  if (isPostgres(db)) due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable("pending_marks")
    .set({ claimed_by: options.nodeId, lease_until: options.now + options.leaseMs })
    .where("id", "in", due)
    .returningAll()
    .execute();
  return rows
    .map((r) => ({
      id: r.id,
      subscriptionId: r.subscription_id,
      notificationUrl: r.notification_url,
      firstSeq: r.first_seq,
      lastSeq: r.last_seq,
      changeCount: r.change_count,
      attempts: r.attempts,
      firstAttemptAt: r.first_attempt_at,
      createdAt: r.created_at,
      kind: r.kind,
      surface: r.surface,
      payload: r.payload === null ? null : openPayload(options.secrets, r.subscription_id, r.payload),
    }))
    .sort((a, b) => a.id - b.id);
}

/** A lifecycle event carries the clientState, so it is stored sealed like the subscription's own. */
function openPayload(secrets: SecretBox, subscriptionId: string, stored: string): string | null {
  try {
    return secrets.open(stored, lifecyclePayloadContext(subscriptionId));
  } catch (error) {
    if (error instanceof SecretUnreadableError) return null;
    throw error;
  }
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

/**
 * Of these marks, the ones this node still holds (locked until the transaction ends, on
 * PostgreSQL). A node whose lease ran out — it stalled, or lost the database while recording an
 * outcome — may find another node has taken a mark over: that node's outcome decides, not this one's.
 */
export async function heldMarks(db: Executor, nodeId: string, ids: number[]): Promise<Set<number>> {
  const held = new Set<number>();
  // In slices: both databases limit the number of bound variables in one statement.
  for (let i = 0; i < ids.length; i += 5000) {
    let q = db
      .selectFrom("pending_marks")
      .select("id")
      .where("claimed_by", "=", nodeId)
      .where("id", "in", ids.slice(i, i + 5000));
    if (isPostgres(db)) q = q.forUpdate();
    for (const row of await q.execute()) held.add(Number(row.id));
  }
  return held;
}

/** Hands this node's claims back (graceful stop): they are due again at once for any node. */
export async function releaseClaims(db: Executor, nodeId: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("pending_marks")
    .set({ claimed_by: null, lease_until: null })
    .where("claimed_by", "=", nodeId)
    .where("id", "in", ids)
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

/** The earliest time any unclaimed mark is due (the dispatcher sleeps until then). */
export async function nextDueAt(db: Executor): Promise<number | null> {
  const row = await db
    .selectFrom("pending_marks")
    .select((eb) => eb.fn.min("due_at").as("due"))
    .where("claimed_by", "is", null)
    .executeTakeFirst();
  return row?.due == null ? null : Number(row.due);
}

/**
 * Releases every claim a node holds (a node restarting under the same configured node id: the
 * claims of its previous process are stale). Claims of other nodes are left to their leases.
 */
export async function releaseClaimsOf(db: Executor, nodeId: string): Promise<number> {
  const result = await db
    .updateTable("pending_marks")
    .set({ claimed_by: null, lease_until: null })
    .where("claimed_by", "=", nodeId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Releases every claim (embedded SQLite at start: no other node can hold one). */
export async function releaseAllClaims(db: Executor): Promise<number> {
  const result = await db
    .updateTable("pending_marks")
    .set({ claimed_by: null, lease_until: null })
    .where("claimed_by", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
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
