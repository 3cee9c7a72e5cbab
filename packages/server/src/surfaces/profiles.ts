/** The profiles of every surface, built from the configuration. */
import { DAY, MINUTE } from "../clock.js";
import type { Config } from "../config/defaults.js";
import {
  oneDriveRetryPolicy,
  oneNoteRetryPolicy,
  scheduleFromSeconds,
  sharePointRetryPolicy,
} from "../delivery/retry-policy.js";
import { legacyOneDriveNotification } from "./onedrive-legacy/notification.js";
import { oneNoteNotification } from "./onenote/notification.js";
import { graphLifecycleEvent, graphNotification } from "./graph/notification.js";
import { graphValidationToken } from "./graph/subscription-handshake.js";
import { nativeNotification } from "./native/notification.js";
import { anyTwoHundred, type SurfaceName, type SurfaceProfile } from "./profile.js";
import { sharePointNotification } from "./sharepoint/notification.js";

export type SurfaceProfiles = Partial<Record<SurfaceName, SurfaceProfile>> & {
  native: SurfaceProfile;
  sharepoint: SurfaceProfile;
  graph: SurfaceProfile;
  onenote: SurfaceProfile;
  "onedrive-legacy": SurfaceProfile;
};

/** OneNote keeps a user registered for six months after the app's last call on their behalf. */
export const ONENOTE_REGISTRATION_MS = 182 * DAY;
/** The OneDrive preview notifies for users who used the app within the last two months. */
export const LEGACY_ONEDRIVE_ACTIVITY_MS = 60 * DAY;

/** OneNote counts only these as delivered; a redirect or a 201 is a failure. */
const oneNoteSuccess = (status: number): boolean => status === 200 || status === 202 || status === 204;

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
    },
    "onedrive-legacy": {
      name: "onedrive-legacy",
      handshake: { parameter: "validationToken", timeoutMs: config.handshake.timeoutMs },
      retry: oneDriveRetryPolicy,
      isSuccess: anyTwoHundred,
      lifetime: { maxMs: LEGACY_ONEDRIVE_ACTIVITY_MS, defaultMs: LEGACY_ONEDRIVE_ACTIVITY_MS, graceMs: 0 },
      renderNotification: legacyOneDriveNotification,
      onPersistentFailure: "disable",
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
