/**
 * The database as Kysely sees it. Times are integers (milliseconds since the epoch) so both
 * dialects store and compare them the same way. Only repositories use these row types.
 */
import type { Generated } from "kysely";

export interface Database {
  tenants: TenantTable;
  apps: AppTable;
  users: UserTable;
  tokens: TokenTable;
  sites: SiteTable;
  resources: ResourceTable;
  grants: GrantTable;
  items: ItemTable;
  changes: ChangeTable;
  subscriptions: SubscriptionTable;
  pending_marks: PendingMarkTable;
  attempts: AttemptTable;
  dead_letters: DeadLetterTable;
}

export interface TenantTable {
  id: string;
  name: string;
  created_at: number;
}

export interface AppTable {
  id: string;
  tenant_id: string;
  client_id: string;
  name: string;
  secret_hash: string;
  /** App-level webhook (OneNote, OneDrive preview): one URL for all the app's users. */
  webhook_url: string | null;
  /** The app's registered root domain (OneDrive preview: the webhook URL must be on it). */
  root_domain: string | null;
  created_at: number;
}

export interface UserTable {
  id: string;
  tenant_id: string;
  name: string;
  created_at: number;
}

export interface TokenTable {
  id: string;
  tenant_id: string;
  app_id: string;
  user_id: string;
  token_hash: string;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
}

/** A SharePoint site (web): `/` or `/sites/{name}`, made on first use within a tenant. */
export interface SiteTable {
  id: string;
  tenant_id: string;
  path: string;
  created_at: number;
}

export interface ResourceTable {
  id: string;
  tenant_id: string;
  owner_id: string;
  /** sharepoint-list | drive | notebook | external */
  kind: string;
  site_id: string | null;
  title: string;
  /** SharePoint BaseTemplate (100 = generic list). */
  template: number | null;
  next_item_number: number;
  created_at: number;
  modified_at: number;
  /** The highest journal sequence number pruned away: tokens before it get 410 Gone. */
  pruned_seq: Generated<number>;
  /** Changes before this time may have been pruned: time-based tokens from before it get 410 Gone. */
  pruned_before: Generated<number>;
}

export interface GrantTable {
  resource_id: string;
  user_id: string;
  created_at: number;
}

export interface ItemTable {
  resource_id: string;
  item_key: string;
  number: number | null;
  guid: string;
  /** JSON object of the item's fields. */
  fields: string;
  version: number;
  created_at: number;
  modified_at: number;
  created_by: string | null;
  modified_by: string | null;
  /** Tree items (drive items, OneNote sections and pages): the parent's key and the item's name. */
  parent_key: string | null;
  name: string | null;
  /** file | folder | notebook | section | page | null for flat list items */
  item_type: string | null;
  content: Buffer | null;
}

/** The journal: one row a change, the source of truth for every change feed. */
export interface ChangeTable {
  seq: Generated<number>;
  resource_id: string;
  item_key: string;
  /** add | update | delete | move | rename */
  kind: string;
  at: number;
  actor_id: string | null;
}

export interface SubscriptionTable {
  id: string;
  tenant_id: string;
  resource_id: string;
  app_id: string;
  creator_id: string;
  /** native | sharepoint | graph | onedrive-legacy | onenote */
  surface: string;
  notification_url: string;
  client_state: string | null;
  expires_at: number;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
  disabled_reason: string | null;
  consecutive_drops: number;
  /** Where lifecycle events go (Graph's lifecycleNotificationUrl), if anywhere. */
  lifecycle_url: string | null;
  /** The resource as the client named it (Graph: `/me/drive/root`), echoed in notifications. */
  resource_path: string | null;
  /** subscription (made by a client) | app-level (an app's registration for one user, renewed by use) */
  registration: Generated<string>;
  /** When reauthorizationRequired was queued for the current expiry (cleared on renewal). */
  reauthorization_sent_at: number | null;
}

/**
 * A pending mark: "this subscription has changes not yet announced". New changes merge into a mark
 * that has not been sent yet; a mark being sent (claimed) or already tried is left alone.
 */
export interface PendingMarkTable {
  id: Generated<number>;
  subscription_id: string;
  notification_url: string;
  first_seq: number;
  last_seq: number;
  change_count: number;
  created_at: number;
  due_at: number;
  attempts: number;
  first_attempt_at: number | null;
  last_error: string | null;
  claimed_by: string | null;
  lease_until: number | null;
  /** change | lifecycle:reauthorizationRequired | lifecycle:subscriptionRemoved | lifecycle:missed */
  kind: Generated<string>;
  /** Lifecycle marks: the surface whose retry policy applies, and the notification entry as JSON. */
  surface: string | null;
  payload: string | null;
}

/** One try of one notification (a delivery POST carries several; they share delivery_id). */
export interface AttemptTable {
  id: Generated<number>;
  /** null for an `unknown` outcome: the lost POST's id was never stored. */
  delivery_id: string | null;
  subscription_id: string;
  mark_id: number;
  notification_url: string;
  attempt: number;
  at: number;
  status_code: number | null;
  duration_ms: number | null;
  error: string | null;
  /** delivered | failed | dropped | unknown */
  outcome: string;
}

export interface DeadLetterTable {
  id: string;
  tenant_id: string;
  subscription_id: string;
  notification_url: string;
  first_seq: number;
  last_seq: number;
  change_count: number;
  attempts: number;
  first_attempt_at: number | null;
  dropped_at: number;
  last_error: string | null;
  replayed_at: number | null;
}
