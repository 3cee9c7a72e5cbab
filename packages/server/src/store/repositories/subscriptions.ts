/**
 * Subscriptions: who is told where about which resource, until when. clientState is a secret the
 * receiver checks: it is stored sealed (sealed-secrets.ts), and records carry it in plain text.
 *
 * Longer than 250 lines: the one repository of the subscriptions table, a statement per question
 * (find, list, update, expiry, lifecycle scans); each is short, and they share one row mapping.
 */
import type { SecretBox } from "../../crypto/secret-box.js";
import { openClientState, sealClientState } from "./sealed-secrets.js";
import type { Executor } from "./types.js";

export interface SubscriptionRecord {
  id: string;
  tenantId: string;
  resourceId: string;
  appId: string;
  creatorId: string;
  surface: string;
  notificationUrl: string;
  clientState: string | null;
  expiresAt: number;
  createdAt: number;
  updatedAt: number;
  disabledAt: number | null;
  disabledReason: string | null;
  consecutiveDrops: number;
  lifecycleUrl: string | null;
  /** The resource as the client named it (Graph: `/me/drive/root`). */
  resourcePath: string | null;
  /** "subscription" (made by a client) or "app-level" (an app's registration for one user). */
  registration: "subscription" | "app-level";
  reauthorizationSentAt: number | null;
}

type SubscriptionRow = {
  id: string;
  tenant_id: string;
  resource_id: string;
  app_id: string;
  creator_id: string;
  surface: string;
  notification_url: string;
  client_state: string | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
  disabled_reason: string | null;
  consecutive_drops: number;
  lifecycle_url: string | null;
  resource_path: string | null;
  registration: string;
  reauthorization_sent_at: number | null;
};

/** Throws SecretUnreadableError when the row's clientState does not open with `secrets`. */
export function toSubscription(row: SubscriptionRow, secrets: SecretBox): SubscriptionRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    resourceId: row.resource_id,
    appId: row.app_id,
    creatorId: row.creator_id,
    surface: row.surface,
    notificationUrl: row.notification_url,
    clientState: openClientState(secrets, row.id, row.client_state),
    expiresAt: Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    disabledAt: row.disabled_at === null ? null : Number(row.disabled_at),
    disabledReason: row.disabled_reason,
    consecutiveDrops: row.consecutive_drops,
    lifecycleUrl: row.lifecycle_url,
    resourcePath: row.resource_path,
    registration: row.registration === "app-level" ? "app-level" : "subscription",
    reauthorizationSentAt: row.reauthorization_sent_at === null ? null : Number(row.reauthorization_sent_at),
  };
}

export async function insertSubscription(
  db: Executor,
  secrets: SecretBox,
  s: SubscriptionRecord,
): Promise<void> {
  await db
    .insertInto("subscriptions")
    .values({
      id: s.id,
      tenant_id: s.tenantId,
      resource_id: s.resourceId,
      app_id: s.appId,
      creator_id: s.creatorId,
      surface: s.surface,
      notification_url: s.notificationUrl,
      client_state: sealClientState(secrets, s.id, s.clientState),
      expires_at: s.expiresAt,
      created_at: s.createdAt,
      updated_at: s.updatedAt,
      disabled_at: s.disabledAt,
      disabled_reason: s.disabledReason,
      consecutive_drops: s.consecutiveDrops,
      lifecycle_url: s.lifecycleUrl,
      resource_path: s.resourcePath,
      registration: s.registration,
      reauthorization_sent_at: s.reauthorizationSentAt,
    })
    .execute();
}

export async function findSubscription(
  db: Executor,
  secrets: SecretBox,
  id: string,
): Promise<SubscriptionRecord | undefined> {
  const row = await db.selectFrom("subscriptions").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toSubscription(row, secrets);
}

export interface SubscriptionFilter {
  tenantId?: string;
  resourceId?: string;
  surface?: string;
  /** Only the subscriptions this user made (a grant never shows another user's subscriptions). */
  creatorId?: string;
  /** Only those this app made (Graph shows a delegated caller what its app made for it). */
  appId?: string;
  /** Hide subscriptions that expired before this time. */
  expiredAfter?: number;
}

export async function listSubscriptions(
  db: Executor,
  secrets: SecretBox,
  filter: SubscriptionFilter,
): Promise<SubscriptionRecord[]> {
  let q = db.selectFrom("subscriptions").selectAll();
  if (filter.tenantId) q = q.where("tenant_id", "=", filter.tenantId);
  if (filter.resourceId) q = q.where("resource_id", "=", filter.resourceId);
  if (filter.surface) q = q.where("surface", "=", filter.surface);
  if (filter.creatorId) q = q.where("creator_id", "=", filter.creatorId);
  if (filter.appId) q = q.where("app_id", "=", filter.appId);
  if (filter.expiredAfter !== undefined) q = q.where("expires_at", ">", filter.expiredAfter);
  const rows = await q.orderBy("created_at").orderBy("id").execute();
  return rows.map((row) => toSubscription(row, secrets));
}

export interface SubscriptionChanges {
  notificationUrl?: string;
  clientState?: string | null;
  lifecycleUrl?: string | null;
  expiresAt?: number;
  updatedAt: number;
  /** Renewal re-enables a disabled subscription. */
  enable?: boolean;
}

export async function updateSubscription(
  db: Executor,
  secrets: SecretBox,
  id: string,
  changes: SubscriptionChanges,
): Promise<void> {
  await db
    .updateTable("subscriptions")
    .set({
      ...(changes.notificationUrl !== undefined && { notification_url: changes.notificationUrl }),
      ...(changes.clientState !== undefined && {
        client_state: sealClientState(secrets, id, changes.clientState),
      }),
      ...(changes.lifecycleUrl !== undefined && { lifecycle_url: changes.lifecycleUrl }),
      // A new expiry deserves a new reauthorizationRequired warning.
      ...(changes.expiresAt !== undefined && {
        expires_at: changes.expiresAt,
        reauthorization_sent_at: null,
      }),
      ...(changes.enable && { disabled_at: null, disabled_reason: null, consecutive_drops: 0 }),
      updated_at: changes.updatedAt,
    })
    .where("id", "=", id)
    .execute();
  if (changes.notificationUrl !== undefined) {
    // Marks not yet being sent follow the subscription to its new URL.
    await db
      .updateTable("pending_marks")
      .set({ notification_url: changes.notificationUrl })
      .where("subscription_id", "=", id)
      .where("claimed_by", "is", null)
      .execute();
  }
}

export async function deleteSubscription(db: Executor, id: string): Promise<boolean> {
  // Lifecycle events already queued (subscriptionRemoved, missed) still go out.
  await db
    .deleteFrom("pending_marks")
    .where("subscription_id", "=", id)
    .where("kind", "=", "change")
    .execute();
  const result = await db.deleteFrom("subscriptions").where("id", "=", id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Removes subscriptions that expired before `before`, with their pending marks. Returns how many. */
export async function purgeExpiredSubscriptions(db: Executor, before: number): Promise<number> {
  const expired = db.selectFrom("subscriptions").select("id").where("expires_at", "<=", before);
  await db
    .deleteFrom("pending_marks")
    .where("subscription_id", "in", expired)
    .where("kind", "=", "change")
    .execute();
  const result = await db.deleteFrom("subscriptions").where("expires_at", "<=", before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function recordDeliverySuccess(db: Executor, subscriptionIds: string[]): Promise<void> {
  if (subscriptionIds.length === 0) return;
  await db
    .updateTable("subscriptions")
    .set({ consecutive_drops: 0 })
    .where("id", "in", subscriptionIds)
    .where("consecutive_drops", ">", 0)
    .execute();
}

/** Counts a drop; disables the subscription when the count reaches `limit`. Returns true if it did. */
export async function recordDrop(
  db: Executor,
  subscriptionId: string,
  limit: number,
  now: number,
  reason: string,
): Promise<boolean> {
  const row = await db
    .updateTable("subscriptions")
    .set((eb) => ({ consecutive_drops: eb("consecutive_drops", "+", 1) }))
    .where("id", "=", subscriptionId)
    .returning(["consecutive_drops", "disabled_at"])
    .executeTakeFirst();
  if (!row || row.disabled_at !== null || row.consecutive_drops < limit) return false;
  await db
    .updateTable("subscriptions")
    .set({ disabled_at: now, disabled_reason: reason })
    .where("id", "=", subscriptionId)
    .execute();
  await db
    .deleteFrom("pending_marks")
    .where("subscription_id", "=", subscriptionId)
    .where("kind", "=", "change")
    .execute();
  return true;
}

/** Active subscriptions with a lifecycle URL that expire within `leadMs` and were not yet warned. */
export async function subscriptionsNearExpiry(
  db: Executor,
  secrets: SecretBox,
  surface: string,
  now: number,
  leadMs: number,
): Promise<SubscriptionRecord[]> {
  const rows = await db
    .selectFrom("subscriptions")
    .selectAll()
    .where("surface", "=", surface)
    .where("lifecycle_url", "is not", null)
    .where("disabled_at", "is", null)
    .where("reauthorization_sent_at", "is", null)
    .where("expires_at", ">", now)
    .where("expires_at", "<=", now + leadMs)
    .execute();
  return rows.map((row) => toSubscription(row, secrets));
}

/**
 * Records that reauthorizationRequired is queued for the current expiry. False when it already was
 * (another node got there first): the caller queues the event only when this returns true.
 */
export async function markReauthorizationSent(db: Executor, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable("subscriptions")
    .set({ reauthorization_sent_at: now })
    .where("id", "=", id)
    .where("reauthorization_sent_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
