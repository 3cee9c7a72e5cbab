/**
 * The body of one POST, `{"value":[...]}`: one notification per subscription however many marks
 * (changes) it has in the batch, or the ready-made lifecycle events.
 */
import type { SubscriptionRecord } from "../store/repositories/subscriptions.js";
import type { NotificationTarget } from "../store/repositories/targets.js";
import type { Batch } from "./batch-plan.js";

export interface NotificationBody {
  json: string;
  /** Entries of `value`. */
  notifications: number;
  /** The subscriptions notified (change batches; lifecycle marks carry what they need). */
  subscriptions: Map<string, SubscriptionRecord>;
}

export function renderBody(batch: Batch, targets: ReadonlyMap<string, NotificationTarget>): NotificationBody {
  const value: Record<string, unknown>[] = [];
  const subscriptions = new Map<string, SubscriptionRecord>();
  if (batch.kind === "lifecycle") {
    for (const mark of batch.marks) value.push(JSON.parse(mark.payload ?? "{}") as Record<string, unknown>);
  } else {
    for (const mark of batch.marks) {
      if (subscriptions.has(mark.subscriptionId)) continue;
      const target = targets.get(mark.subscriptionId)!;
      subscriptions.set(mark.subscriptionId, target.subscription);
      value.push(batch.profile.renderNotification(target));
    }
  }
  return { json: JSON.stringify({ value }), notifications: value.length, subscriptions };
}
