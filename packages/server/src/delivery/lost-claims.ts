/**
 * Lost claims: a node that dies (or stalls past its lease) with notifications in flight leaves
 * their claims behind, and nobody knows whether those POSTs reached the receiver. When a claim is
 * taken over — by another node once its lease ran out, or by the next process of the same node at
 * start — the attempt is recorded with the outcome `unknown`, in the same transaction as the take-
 * over, so the delivery history shows every POST that may have been made.
 *
 * An unknown outcome counts neither as a success nor as a failure: the mark is due at once, not
 * after a retry delay, it keeps its attempt count (the re-sent notification carries the same
 * attempt number, so the numbers in the log stay those of the retry policy), and it can never be
 * what drops the notification into a dead letter. The cost is at most one duplicate, which thin
 * notifications make harmless (at-least-once).
 */
import type { Db } from "../store/open.js";
import { inWriteTransaction } from "../store/write-transaction.js";
import { insertAttempts, type AttemptRecord } from "../store/repositories/attempts.js";
import {
  claimDueMarks,
  releaseAllClaims,
  releaseClaimsOf,
  type ClaimedMark,
  type ClaimOptions,
  type LostClaim,
} from "../store/repositories/claims.js";

/**
 * Claims due marks, recording an `unknown` attempt for each claim taken over from another. The
 * marks this node is `sending` are not lost even when their lease has run out (a clock that
 * jumped, a stalled event loop): their outcome is about to be recorded.
 */
export async function claimMarks(
  db: Db,
  options: ClaimOptions,
  sending: ReadonlySet<number> = new Set(),
): Promise<ClaimedMark[]> {
  return inWriteTransaction(db, async (trx) => {
    const claimed = await claimDueMarks(trx, options);
    const lost = claimed.flatMap((m) => {
      const from = m.takenOverFrom;
      return from && !(from.nodeId === options.nodeId && sending.has(m.id)) ? [from] : [];
    });
    if (lost.length > 0) await insertAttempts(trx, unknownAttempts(lost, options.leaseMs));
    return claimed;
  });
}

/**
 * At start: releases the claims a previous process of this node left (all claims on embedded
 * SQLite, where no other node can hold one), recording their attempts as `unknown`.
 */
export async function releaseLostClaims(
  db: Db,
  scope: { nodeId: string; ownOnly: boolean; leaseMs: number },
): Promise<number> {
  return inWriteTransaction(db, async (trx) => {
    const lost = scope.ownOnly ? await releaseClaimsOf(trx, scope.nodeId) : await releaseAllClaims(trx);
    await insertAttempts(trx, unknownAttempts(lost, scope.leaseMs));
    return lost.length;
  });
}

/**
 * The attempt rows of lost claims. Their time is when the claim began (its lease end less
 * `delivery.leaseMs`, which every node of a deployment shares); the POST's id and duration were
 * never stored.
 */
function unknownAttempts(lost: LostClaim[], leaseMs: number): AttemptRecord[] {
  return lost.map((claim) => ({
    deliveryId: null,
    subscriptionId: claim.subscriptionId,
    markId: claim.markId,
    notificationUrl: claim.notificationUrl,
    attempt: claim.attempts + 1,
    at: claim.leaseUntil - leaseMs,
    statusCode: null,
    durationMs: null,
    error: `outcome unknown: node ${claim.nodeId} stopped before recording it; the notification is sent again`,
    outcome: "unknown",
  }));
}
