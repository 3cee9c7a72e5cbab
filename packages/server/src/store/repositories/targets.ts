/** What the dispatcher needs to render a notification: the subscription, its resource and site. */
import { SecretUnreadableError, type SecretBox } from "../../crypto/secret-box.js";
import { toSubscription, type SubscriptionRecord } from "./subscriptions.js";
import type { Executor } from "./types.js";

export interface NotificationTarget {
  subscription: SubscriptionRecord;
  resource: { id: string; kind: string; title: string; ownerId: string };
  site: { id: string; path: string } | null;
  /** The app that made the subscription (app-level payloads name its client id). */
  app: { clientId: string };
}

export interface LoadedTargets {
  targets: Map<string, NotificationTarget>;
  /** Subscriptions whose clientState does not open with the configured key: none is rendered. */
  unreadable: string[];
}

/** Each target's clientState is opened here, once per round, however many notifications it gets. */
export async function loadTargets(
  db: Executor,
  secrets: SecretBox,
  subscriptionIds: string[],
): Promise<LoadedTargets> {
  const targets = new Map<string, NotificationTarget>();
  const unreadable: string[] = [];
  if (subscriptionIds.length === 0) return { targets, unreadable };
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
    let subscription: SubscriptionRecord;
    try {
      subscription = toSubscription(row, secrets);
    } catch (error) {
      if (!(error instanceof SecretUnreadableError)) throw error;
      unreadable.push(row.id);
      continue;
    }
    targets.set(row.id, {
      subscription,
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
  return { targets, unreadable };
}
