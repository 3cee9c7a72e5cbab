/**
 * A surface profile: what a surface decides about subscriptions and delivery — the handshake
 * parameter, success codes, retry policy, lifetime limits, app-level registration and the shape of
 * one notification. It is data the services apply: no service asks which surface it is serving.
 * `surfaces/profiles.ts` builds the profiles from the configuration; every layer may read them.
 */
import type { SubscriptionRecord } from "../store/repositories/subscriptions.js";
import type { NotificationTarget } from "../store/repositories/targets.js";
import { isSurfaceName, type SurfaceName } from "../store/surface-names.js";
import type { HandshakeRules } from "./handshake-rules.js";
import type { RetryPolicy } from "./retry-policy.js";

export type { NotificationTarget } from "../store/repositories/targets.js";
export type { SurfaceName } from "../store/surface-names.js";

export interface SurfaceProfile {
  name: SurfaceName;
  handshake: HandshakeRules;
  retry: RetryPolicy;
  isSuccess(statusCode: number): boolean;
  lifetime: {
    maxMs: number;
    defaultMs: number;
    /** Slack allowed beyond maxMs, for clocks that differ (SharePoint allows about 90 minutes). */
    graceMs: number;
  };
  /** One entry of the `{"value":[...]}` array. */
  renderNotification(target: NotificationTarget): Record<string, unknown>;
  /**
   * What happens to a subscription whose notifications keep being dropped: it is kept but
   * disabled (SharePoint, native), or removed (Graph: "the service may remove a subscription").
   */
  onPersistentFailure: "disable" | "remove";
  /**
   * App-level surfaces (OneNote, the OneDrive preview): one webhook URL per app, each user
   * registered by API use. The preview requires the app's root domain to be set as well.
   */
  appLevel?: { requiresRootDomain: boolean };
  /** Surfaces with lifecycle events (Graph's lifecycleNotificationUrl). */
  lifecycle?: {
    /** reauthorizationRequired is sent this long before a subscription expires. */
    reauthorizationLeadMs: number;
    render(subscription: SubscriptionRecord, event: LifecycleEvent): Record<string, unknown>;
  };
}

/** Every surface's profile, by name. */
export type SurfaceProfiles = Record<SurfaceName, SurfaceProfile>;

/** The profile of a stored surface name, or null for a name this version does not know. */
export function profileNamed(profiles: SurfaceProfiles, name: string | null): SurfaceProfile | null {
  return isSurfaceName(name) ? profiles[name] : null;
}

export type LifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";
