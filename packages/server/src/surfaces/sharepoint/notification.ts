/** The SharePoint webhook notification, field for field as SharePoint sends it. */
import type { NotificationTarget } from "../../policy/profile.js";
import { sharePointNotificationDate } from "./dates.js";

export function sharePointNotification(target: NotificationTarget): Record<string, unknown> {
  const { subscription, site } = target;
  return {
    subscriptionId: subscription.id,
    clientState: subscription.clientState,
    expirationDateTime: sharePointNotificationDate(subscription.expiresAt),
    resource: subscription.resourceId.toLowerCase(),
    tenantId: subscription.tenantId,
    siteUrl: site?.path ?? "/",
    webId: site?.id ?? subscription.tenantId,
  };
}
