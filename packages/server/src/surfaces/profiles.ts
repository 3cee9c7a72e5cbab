/**
 * The profiles of every surface, built from the configuration: the rules are in `policy/`, the
 * wire shapes of a notification in each surface's folder. `nudge.ts` builds them once and hands
 * them to the services.
 */
import { DAY, MINUTE } from "../clock.js";
import type { Config } from "../config/defaults.js";
import { LEGACY_ONEDRIVE_ACTIVITY_MS, ONENOTE_REGISTRATION_MS } from "../policy/lifetimes.js";
import type { SurfaceProfiles } from "../policy/profile.js";
import {
  oneDriveRetryPolicy,
  oneNoteRetryPolicy,
  scheduleFromSeconds,
  sharePointRetryPolicy,
} from "../policy/retry-policy.js";
import { anyTwoHundred, oneNoteSuccess } from "../policy/success.js";
import { legacyOneDriveNotification } from "./onedrive-legacy/notification.js";
import { oneNoteNotification } from "./onenote/notification.js";
import { graphLifecycleEvent, graphNotification } from "./graph/notification.js";
import { graphValidationToken } from "./graph/subscription-handshake.js";
import { nativeNotification } from "./native/notification.js";
import { sharePointNotification } from "./sharepoint/notification.js";

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
        makeToken: graphValidationToken,
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
    // App-level surfaces: registrations are made and renewed by API use, not by a handshake.
    onenote: {
      name: "onenote",
      handshake: { parameter: "validationToken", timeoutMs: config.handshake.timeoutMs },
      retry: oneNoteRetryPolicy,
      isSuccess: oneNoteSuccess,
      lifetime: { maxMs: ONENOTE_REGISTRATION_MS, defaultMs: ONENOTE_REGISTRATION_MS, graceMs: 0 },
      renderNotification: oneNoteNotification,
      onPersistentFailure: "disable",
      appLevel: { requiresRootDomain: false },
    },
    "onedrive-legacy": {
      name: "onedrive-legacy",
      handshake: { parameter: "validationToken", timeoutMs: config.handshake.timeoutMs },
      retry: oneDriveRetryPolicy,
      isSuccess: anyTwoHundred,
      lifetime: { maxMs: LEGACY_ONEDRIVE_ACTIVITY_MS, defaultMs: LEGACY_ONEDRIVE_ACTIVITY_MS, graceMs: 0 },
      renderNotification: legacyOneDriveNotification,
      onPersistentFailure: "disable",
      // "a single URL on the same root domain as the domain configured for your app"
      appLevel: { requiresRootDomain: true },
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
