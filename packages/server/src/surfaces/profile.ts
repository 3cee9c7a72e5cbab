/**
 * A surface profile: what a surface decides about subscriptions and delivery — the handshake
 * parameter, success codes, retry policy, lifetime limits and the shape of one notification.
 * It holds no business rule of its own; the services apply it.
 */
import type { RetryPolicy } from "../delivery/retry-policy.js";
import type { SubscriptionRecord } from "../store/repositories/subscriptions.js";
import type { NotificationTarget } from "../store/repositories/targets.js";
import type { HandshakeRules } from "../subscriptions/handshake.js";

export type { NotificationTarget } from "../store/repositories/targets.js";

export type SurfaceName = "native" | "sharepoint" | "graph" | "onedrive-legacy" | "onenote";

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
  /** Surfaces with lifecycle events (Graph's lifecycleNotificationUrl). */
  lifecycle?: {
    /** reauthorizationRequired is sent this long before a subscription expires. */
    reauthorizationLeadMs: number;
    render(subscription: SubscriptionRecord, event: LifecycleEvent): Record<string, unknown>;
  };
}

export type LifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

export const anyTwoHundred = (status: number): boolean => status >= 200 && status < 300;
