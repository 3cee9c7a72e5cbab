/**
 * Claims on pending marks: a dispatcher takes due marks with a lease (`claimed_by`, `lease_until`),
 * holds them while it sends, and hands back what it did not finish. A claim whose lease ran out
 * may be taken over by another node, and is reported as such (see delivery/lost-claims.ts).
 */
import { SecretUnreadableError, type SecretBox } from "../../crypto/secret-box.js";
import { isPostgres } from "../dialect.js";
import { isSurfaceName, type SurfaceName } from "../surface-names.js";
import { inWriteTransaction } from "../write-transaction.js";
import { chooseCandidates, type CandidateQuery } from "./claim-candidates.js";
import { lifecyclePayloadContext } from "./sealed-secrets.js";
import type { Executor } from "./types.js";

/** What every claimed mark has, whatever it carries. */
interface Claim {
  id: number;
  subscriptionId: string;
  notificationUrl: string;
  /** Failed attempts so far. */
  attempts: number;
  firstAttemptAt: number | null;
  createdAt: number;
  /** The claim this one replaced, its lease run out: that node may have sent the mark. */
  takenOverFrom: LostClaim | null;
}

/** Changes to a subscription's resource (`firstSeq..lastSeq`), announced by one thin notification. */
export interface ClaimedChangeMark extends Claim {
  kind: "change";
  firstSeq: number;
  lastSeq: number;
  changeCount: number;
}

/** A ready-made lifecycle event (Graph's lifecycleNotificationUrl), sent under its surface's rules. */
export interface ClaimedLifecycleMark extends Claim {
  kind: "lifecycle";
  /** The surface that queued it; null for a name this version does not know (it is not sent). */
  surface: SurfaceName | null;
  /** The event's JSON, opened; null when it does not open with the configured key (it is not sent). */
  payload: string | null;
}

/** The row's `kind` and `surface` strings are checked once, here. */
export type ClaimedMark = ClaimedChangeMark | ClaimedLifecycleMark;

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

export interface ClaimOptions extends CandidateQuery {
  nodeId: string;
  leaseMs: number;
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
  const candidates = await chooseCandidates(db, options);
  if (candidates.length === 0) return [];
  const previous = new Map(candidates.map((c) => [Number(c.id), c]));
  const rows = [];
  // In slices: both databases limit the number of bound variables in one statement.
  for (let i = 0; i < candidates.length; i += 5000) {
    rows.push(
      ...(await db
        .updateTable("pending_marks")
        .set({ claimed_by: options.nodeId, lease_until: options.now + options.leaseMs })
        .where(
          "id",
          "in",
          candidates.slice(i, i + 5000).map((c) => c.id),
        )
        .where((eb) => eb.or([eb("claimed_by", "is", null), eb("lease_until", "<", options.now)]))
        .returningAll()
        .execute()),
    );
  }
  // One object per row, built in one literal (no intermediate claim object and spreads): this runs
  // for every mark a round claims, and the profile of issue 8 found the spreads on the hot path.
  const marks: ClaimedMark[] = rows.map((r) => {
    const before = previous.get(Number(r.id));
    const takenOverFrom: LostClaim | null =
      before?.claimed_by == null
        ? null
        : {
            markId: r.id,
            subscriptionId: r.subscription_id,
            notificationUrl: r.notification_url,
            attempts: r.attempts,
            nodeId: before.claimed_by,
            leaseUntil: Number(before.lease_until),
          };
    return r.kind === "lifecycle"
      ? {
          kind: "lifecycle",
          id: r.id,
          subscriptionId: r.subscription_id,
          notificationUrl: r.notification_url,
          attempts: r.attempts,
          firstAttemptAt: r.first_attempt_at,
          createdAt: r.created_at,
          takenOverFrom,
          surface: isSurfaceName(r.surface) ? r.surface : null,
          payload: r.payload === null ? null : openPayload(options.secrets, r.subscription_id, r.payload),
        }
      : {
          kind: "change",
          id: r.id,
          subscriptionId: r.subscription_id,
          notificationUrl: r.notification_url,
          attempts: r.attempts,
          firstAttemptAt: r.first_attempt_at,
          createdAt: r.created_at,
          takenOverFrom,
          firstSeq: r.first_seq,
          lastSeq: r.last_seq,
          changeCount: r.change_count,
        };
  });
  // RETURNING promises no order; SQLite's is usually the ids' already, which makes this sort cheap.
  return marks.sort((a, b) => a.id - b.id);
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
