/**
 * Pending marks: the transactional outbox. A change writes (or merges into) one mark per active
 * subscription in the same transaction as the change itself; the dispatcher claims due marks with
 * a lease, sends them, and clears or reschedules them.
 */
import { sql } from "kysely";
import { SecretUnreadableError, type SecretBox } from "../../crypto/secret-box.js";
import { isPostgres } from "../dialect.js";
import { inWriteTransaction } from "../write-transaction.js";
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
  /** The claim this one replaced, its lease run out: that node may have sent the mark. */
  takenOverFrom: LostClaim | null;
}

/** A claim whose node stopped without recording an outcome (it died, or stalled past its lease). */
export interface LostClaim {
  markId: number;
  subscriptionId: string;
  notificationUrl: string;
  /** Failed attempts before the lost one. */
  attempts: number;
  nodeId: string;
  leaseUntil: number;
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

function newMarkColumns(changes: NewChanges) {
  return [
    "s.id",
    "s.notification_url",
    sql.lit(changes.firstSeq).as("first_seq"),
    sql.lit(changes.lastSeq).as("last_seq"),
    sql.lit(changes.count).as("change_count"),
    sql.lit(changes.now).as("created_at"),
    sql.lit(changes.dueAt).as("due_at"),
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
 * twice; the rows stay locked until the claim commits. The candidates are read before they are
 * claimed so that a claim taken over from another node is reported (`takenOverFrom`): neither
 * database's RETURNING can show the values an UPDATE replaced.
 */
export async function claimDueMarks(db: Executor, options: ClaimOptions): Promise<ClaimedMark[]> {
  // SQLite needs no transaction of its own: the UPDATE re-checks that each mark is still free, and
  // each statement runs alone (a caller that records take-overs wraps both, see delivery/lost-claims.ts).
  if (isPostgres(db) && !db.isTransaction)
    return db.transaction().execute((trx) => claimReadFirst(trx, options));
  return claimReadFirst(db, options);
}

async function claimReadFirst(db: Executor, options: ClaimOptions): Promise<ClaimedMark[]> {
  let due = db
    .selectFrom("pending_marks")
    .select(["id", "claimed_by", "lease_until"])
    .where("due_at", "<=", options.now)
    .where((eb) => eb.or([eb("claimed_by", "is", null), eb("lease_until", "<", options.now)]));
  if (options.skipUrls.length > 0) due = due.where("notification_url", "not in", options.skipUrls);
  due = due.orderBy("due_at").orderBy("id").limit(options.limit);
  if (isPostgres(db)) due = due.forUpdate().skipLocked();
  const candidates = await due.execute();
  if (candidates.length === 0) return [];
  const previous = new Map(candidates.map((c) => [Number(c.id), c]));
  const rows = await db
    .updateTable("pending_marks")
    .set({ claimed_by: options.nodeId, lease_until: options.now + options.leaseMs })
    .where(
      "id",
      "in",
      candidates.map((c) => c.id),
    )
    .where((eb) => eb.or([eb("claimed_by", "is", null), eb("lease_until", "<", options.now)]))
    .returningAll()
    .execute();
  return rows
    .map((r) => {
      const before = previous.get(Number(r.id));
      return {
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
        takenOverFrom:
          before?.claimed_by == null
            ? null
            : {
                markId: r.id,
                subscriptionId: r.subscription_id,
                notificationUrl: r.notification_url,
                attempts: r.attempts,
                nodeId: before.claimed_by,
                leaseUntil: Number(before.lease_until),
              },
      };
    })
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
 * claims of its previous process are stale), and returns them. Claims of other nodes are left to
 * their leases.
 */
export async function releaseClaimsOf(db: Executor, nodeId: string): Promise<LostClaim[]> {
  return releaseLostClaims(db, nodeId);
}

/** Releases every claim, and returns them (embedded SQLite at start: no other node can hold one). */
export async function releaseAllClaims(db: Executor): Promise<LostClaim[]> {
  return releaseLostClaims(db, null);
}

/** The claims are read before they are cleared: RETURNING shows only the values written. */
async function releaseLostClaims(db: Executor, nodeId: string | null): Promise<LostClaim[]> {
  return inWriteTransaction(db, (trx) => releaseInTransaction(trx, nodeId));
}

async function releaseInTransaction(db: Executor, nodeId: string | null): Promise<LostClaim[]> {
  let q = db
    .selectFrom("pending_marks")
    .select(["id", "subscription_id", "notification_url", "attempts", "claimed_by", "lease_until"])
    .where("claimed_by", "is not", null);
  if (nodeId !== null) q = q.where("claimed_by", "=", nodeId);
  if (isPostgres(db)) q = q.forUpdate();
  const lost = (await q.execute()).map((r) => ({
    markId: Number(r.id),
    subscriptionId: r.subscription_id,
    notificationUrl: r.notification_url,
    attempts: r.attempts,
    nodeId: r.claimed_by!,
    leaseUntil: Number(r.lease_until),
  }));
  const ids = lost.map((c) => c.markId);
  for (let i = 0; i < ids.length; i += 5000) {
    await db
      .updateTable("pending_marks")
      .set({ claimed_by: null, lease_until: null })
      .where("id", "in", ids.slice(i, i + 5000))
      .execute();
  }
  return lost;
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
