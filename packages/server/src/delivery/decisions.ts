/**
 * What an attempt's result means, decided apart from writing it down: delivered, retry at a time,
 * or drop into a dead letter — and after a drop, which lifecycle events to queue and whether the
 * subscription is disabled or removed. Pure functions of (attempt result, policy, history), so
 * every rule is tested without a database; outcome-writer.ts applies the decisions.
 */
import type { LifecycleEvent, SurfaceProfile } from "../policy/profile.js";
import { nextAttemptAt, type RetryPolicy } from "../policy/retry-policy.js";
import type { AttemptRecord } from "../store/repositories/attempts.js";
import type { SubscriptionRecord } from "../store/repositories/subscriptions.js";
import type { SendResult } from "./sender.js";

export type MarkDecision =
  | { kind: "delivered" }
  /** Failed, but another node holds the mark now (this node's lease ran out): its outcome decides. */
  | { kind: "takenOver" }
  | { kind: "retry"; attempts: number; firstAttemptAt: number; dueAt: number }
  | { kind: "drop"; attempts: number; firstAttemptAt: number };

export interface MarkHistory {
  /** Failed attempts before this one. */
  attempts: number;
  /** null until the first attempt has been recorded. */
  firstAttemptAt: number | null;
  /** Whether this node still holds the mark. */
  held: boolean;
}

export function isDelivered(result: SendResult, profile: SurfaceProfile): boolean {
  return result.statusCode !== null && profile.isSuccess(result.statusCode);
}

/** What the error of a failed attempt is recorded as. */
export function failureOf(result: SendResult): string {
  return result.error ?? `HTTP ${result.statusCode}`;
}

/** The decision for one mark of an attempt made at `at` (when the POST began). */
export function decideMark(
  delivered: boolean,
  policy: RetryPolicy,
  history: MarkHistory,
  at: number,
): MarkDecision {
  if (delivered) return { kind: "delivered" };
  if (!history.held) return { kind: "takenOver" };
  const attempts = history.attempts + 1;
  const firstAttemptAt = history.firstAttemptAt ?? at;
  const dueAt = nextAttemptAt(policy, attempts, firstAttemptAt, at);
  return dueAt === null
    ? { kind: "drop", attempts, firstAttemptAt }
    : { kind: "retry", attempts, firstAttemptAt, dueAt };
}

export function attemptOutcome(decision: MarkDecision): AttemptRecord["outcome"] {
  if (decision.kind === "delivered") return "delivered";
  return decision.kind === "drop" ? "dropped" : "failed";
}

export interface DropFollowUp {
  /** Lifecycle events to queue for the subscription. */
  announce: LifecycleEvent[];
  /** Count the drop against the subscription, disabling it at `limit` drops in a row (with `reason`). */
  countDrop: { limit: number; reason: string } | null;
}

/**
 * After a notification was dropped. A lost lifecycle event is recorded, but it neither counts
 * against the subscription nor announces itself (a "missed" about a "missed" would never end).
 */
export function afterDrop(
  markKind: "change" | "lifecycle",
  profile: SurfaceProfile,
  subscription: SubscriptionRecord | undefined,
  disableAfterDrops: number,
  error: string,
): DropFollowUp {
  if (markKind === "lifecycle" || !subscription) return { announce: [], countDrop: null };
  return {
    announce: hasLifecycle(profile, subscription) ? ["missed"] : [],
    countDrop: {
      limit: disableAfterDrops,
      reason: `disabled after ${disableAfterDrops} notifications in a row were dropped; last error: ${error}`,
    },
  };
}

/** After repeated drops disabled a subscription: Graph removes it ("the service may remove a subscription"). */
export function afterDisable(
  profile: SurfaceProfile,
  subscription: SubscriptionRecord,
): { announce: LifecycleEvent[]; remove: boolean } {
  if (profile.onPersistentFailure !== "remove") return { announce: [], remove: false };
  return { announce: hasLifecycle(profile, subscription) ? ["subscriptionRemoved"] : [], remove: true };
}

function hasLifecycle(profile: SurfaceProfile, subscription: SubscriptionRecord): boolean {
  return profile.lifecycle !== undefined && Boolean(subscription.lifecycleUrl);
}
