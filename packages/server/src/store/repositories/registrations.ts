/**
 * App-level registrations (OneNote, OneDrive preview): rows of `subscriptions` with
 * registration = 'app-level', one per (app, surface, user's resource), renewed by API use.
 */
import type { SecretBox } from "../../crypto/secret-box.js";
import { toSubscription, type SubscriptionRecord } from "./subscriptions.js";
import type { Executor } from "./types.js";

export async function findRegistration(
  db: Executor,
  secrets: SecretBox,
  appId: string,
  surface: string,
  resourceId: string,
): Promise<SubscriptionRecord | undefined> {
  const row = await db
    .selectFrom("subscriptions")
    .selectAll()
    .where("app_id", "=", appId)
    .where("registration", "=", "app-level")
    .where("resource_id", "=", resourceId)
    .where("surface", "=", surface)
    .executeTakeFirst();
  return row && toSubscription(row, secrets);
}

export async function renewRegistration(
  db: Executor,
  id: string,
  changes: { expiresAt: number; notificationUrl: string; now: number },
): Promise<void> {
  await db
    .updateTable("subscriptions")
    .set({
      expires_at: changes.expiresAt,
      notification_url: changes.notificationUrl,
      updated_at: changes.now,
    })
    .where("id", "=", id)
    .execute();
}

/**
 * A re-registered app webhook: every registration of the app points at the new URL and is enabled
 * again ("verify that your service is working properly and then re-register your webhook URL").
 */
export async function reRegisterAppWebhook(
  db: Executor,
  appId: string,
  url: string | null,
  now: number,
): Promise<void> {
  if (url === null) {
    await db
      .updateTable("subscriptions")
      .set({ disabled_at: now, disabled_reason: "the app's webhook URL was removed" })
      .where("app_id", "=", appId)
      .where("registration", "=", "app-level")
      .execute();
    return;
  }
  await db
    .updateTable("subscriptions")
    .set({
      notification_url: url,
      disabled_at: null,
      disabled_reason: null,
      consecutive_drops: 0,
      updated_at: now,
    })
    .where("app_id", "=", appId)
    .where("registration", "=", "app-level")
    .execute();
  await db
    .updateTable("pending_marks")
    .set({ notification_url: url })
    .where("claimed_by", "is", null)
    .where("kind", "=", "change")
    .where(
      "subscription_id",
      "in",
      db
        .selectFrom("subscriptions")
        .select("id")
        .where("app_id", "=", appId)
        .where("registration", "=", "app-level"),
    )
    .execute();
}
