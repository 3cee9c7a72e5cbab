/** The profiles of every surface, built from the configuration. */
import { DAY, MINUTE } from "../clock.js";
import type { Config } from "../config/defaults.js";
import { oneDriveRetryPolicy, scheduleFromSeconds, sharePointRetryPolicy } from "../delivery/retry-policy.js";
import { graphLifecycleEvent, graphNotification } from "./graph/notification.js";
import { nativeNotification } from "./native/notification.js";
import { anyTwoHundred, type SurfaceName, type SurfaceProfile } from "./profile.js";
import { sharePointNotification } from "./sharepoint/notification.js";

export type SurfaceProfiles = Partial<Record<SurfaceName, SurfaceProfile>> & {
  native: SurfaceProfile;
  sharepoint: SurfaceProfile;
  graph: SurfaceProfile;
};

export function buildProfiles(config: Readonly<Config>): SurfaceProfiles {
  const lifetime = {
    maxMs: config.subscriptions.maxLifetimeDays * DAY,
    defaultMs: config.subscriptions.defaultLifetimeDays * DAY,
  };
  return {
    sharepoint: {
      name: "sharepoint",
      handshake: { parameter: "validationtoken", timeoutMs: config.handshake.timeoutMs },
      retry: sharePointRetryPolicy,
      isSuccess: anyTwoHundred,
      lifetime: { ...lifetime, graceMs: 90 * MINUTE },
      renderNotification: sharePointNotification,
      onPersistentFailure: "disable",
    },
    graph: {
      name: "graph",
      handshake: {
        parameter: "validationToken",
        timeoutMs: config.surfaces.graph.handshakeTimeoutMs,
        contentType: "text/plain; charset=utf-8",
      },
      retry: oneDriveRetryPolicy,
      isSuccess: anyTwoHundred,
      lifetime: {
        maxMs: config.surfaces.graph.maxLifetimeMinutes * MINUTE,
        defaultMs: config.surfaces.graph.maxLifetimeMinutes * MINUTE,
        graceMs: 0,
      },
      renderNotification: graphNotification,
      onPersistentFailure: "remove",
      lifecycle: {
        reauthorizationLeadMs: config.surfaces.graph.reauthorizationLeadMinutes * MINUTE,
        render: graphLifecycleEvent,
      },
    },
    native: {
      name: "native",
      handshake: { parameter: "validationToken", timeoutMs: config.handshake.timeoutMs },
      retry: scheduleFromSeconds(config.delivery.nativeRetrySeconds),
      isSuccess: anyTwoHundred,
      lifetime: { ...lifetime, graceMs: 0 },
      renderNotification: nativeNotification,
      onPersistentFailure: "disable",
    },
  };
}
