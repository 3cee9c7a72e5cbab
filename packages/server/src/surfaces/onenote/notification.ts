/** The OneNote webhook notification: the app's client id and the owner of the changed notebook. */
import type { NotificationTarget } from "../../policy/profile.js";

export function oneNoteNotification(target: NotificationTarget): Record<string, unknown> {
  return { subscriptionId: target.app.clientId, userId: target.resource.ownerId };
}
