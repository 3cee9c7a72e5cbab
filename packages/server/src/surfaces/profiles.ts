/** The profiles of every surface, built from the configuration. */
import { DAY, MINUTE } from "../clock.js";
import type { Config } from "../config/defaults.js";
import { scheduleFromSeconds, sharePointRetryPolicy } from "../delivery/retry-policy.js";
import { nativeNotification } from "./native/notification.js";
import { anyTwoHundred, type SurfaceName, type SurfaceProfile } from "./profile.js";
import { sharePointNotification } from "./sharepoint/notification.js";

export type SurfaceProfiles = Partial<Record<SurfaceName, SurfaceProfile>> & {
  native: SurfaceProfile;
  sharepoint: SurfaceProfile;
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
    },
    native: {
      name: "native",
      handshake: { parameter: "validationToken", timeoutMs: config.handshake.timeoutMs },
      retry: scheduleFromSeconds(config.delivery.nativeRetrySeconds),
      isSuccess: anyTwoHundred,
      lifetime: { ...lifetime, graceMs: 0 },
      renderNotification: nativeNotification,
    },
  };
}
