/** What the dispatcher needs to render a notification: the subscription, its resource and site. */
import { toSubscription, type SubscriptionRecord } from "./subscriptions.js";
import type { Executor } from "./types.js";

export interface NotificationTarget {
  subscription: SubscriptionRecord;
  resource: { id: string; kind: string; title: string; ownerId: string };
  site: { id: string; path: string } | null;
  /** The app that made the subscription (app-level payloads name its client id). */
  app: { clientId: string };
}

export async function loadTargets(
  db: Executor,
  subscriptionIds: string[],
): Promise<Map<string, NotificationTarget>> {
  const targets = new Map<string, NotificationTarget>();
  if (subscriptionIds.length === 0) return targets;
  const rows = await db
    .selectFrom("subscriptions as s")
    .innerJoin("resources as r", "r.id", "s.resource_id")
    .leftJoin("sites as site", "site.id", "r.site_id")
    .leftJoin("apps as app", "app.id", "s.app_id")
    .selectAll("s")
    .select([
      "r.kind as resource_kind",
      "r.title as resource_title",
      "r.owner_id as resource_owner_id",
      "site.id as site_id",
      "site.path as site_path",
      "app.client_id as app_client_id",
    ])
    .where("s.id", "in", [...new Set(subscriptionIds)])
    .execute();
  for (const row of rows) {
    targets.set(row.id, {
      subscription: toSubscription(row),
      resource: {
        id: row.resource_id,
        kind: row.resource_kind,
        title: row.resource_title,
        ownerId: row.resource_owner_id,
      },
      site: row.site_id && row.site_path ? { id: row.site_id, path: row.site_path } : null,
      app: { clientId: row.app_client_id ?? row.app_id },
    });
  }
  return targets;
}
