/** Microsoft Graph change notifications and lifecycle events (driveItem), as Graph sends them. */
import type { SubscriptionRecord } from "../../store/repositories/subscriptions.js";
import type { LifecycleEvent, NotificationTarget } from "../../policy/profile.js";

export function graphNotification(target: NotificationTarget): Record<string, unknown> {
  const { subscription } = target;
  return {
    subscriptionId: subscription.id,
    expirationDateTime: new Date(subscription.expiresAt).toISOString(),
    resource: subscription.resourcePath ?? `/drives/${subscription.resourceId}/root`,
    clientState: subscription.clientState,
  };
}

export function graphLifecycleEvent(
  subscription: SubscriptionRecord,
  event: LifecycleEvent,
): Record<string, unknown> {
  return {
    subscriptionId: subscription.id,
    subscriptionExpirationDateTime: new Date(subscription.expiresAt).toISOString(),
    tenantId: subscription.tenantId,
    clientState: subscription.clientState,
    lifecycleEvent: event,
  };
}
