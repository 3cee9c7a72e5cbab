/**
 * A surface profile: what a surface decides about subscriptions and delivery — the handshake
 * parameter, success codes, retry policy, lifetime limits and the shape of one notification.
 * It holds no business rule of its own; the services apply it.
 */
import type { RetryPolicy } from "../delivery/retry-policy.js";
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
}

export const anyTwoHundred = (status: number): boolean => status >= 200 && status < 300;
