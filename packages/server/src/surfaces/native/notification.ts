/** The native notification: thin, like the Microsoft ones — it says which subscription has changes. */
import type { NotificationTarget } from "../../policy/profile.js";

export function nativeNotification(target: NotificationTarget): Record<string, unknown> {
  const { subscription } = target;
  return {
    subscriptionId: subscription.id,
    resource: subscription.resourceId,
    tenantId: subscription.tenantId,
    clientState: subscription.clientState,
    expirationDateTime: new Date(subscription.expiresAt).toISOString(),
  };
}
