/** The OneDrive preview (service-to-service) notification, one per user who uses the app. */
import type { NotificationTarget } from "../../policy/profile.js";

export function legacyOneDriveNotification(target: NotificationTarget): Record<string, unknown> {
  const { subscription, resource } = target;
  return {
    subscriptionId: `WLS_SubscriptionId_${subscription.id.toUpperCase()}`,
    subscriptionExpirationDateTime: new Date(subscription.expiresAt).toISOString(),
    userId: resource.ownerId,
    entity: { id: resource.ownerId },
  };
}
