/**
 * reauthorizationRequired: shortly before a subscription with a lifecycle URL expires, its owner
 * is told to renew it (Graph's lifecycle event). Queued once per expiry; renewal re-arms it.
 */
import type { SecretBox } from "../crypto/secret-box.js";
import type { Db } from "../store/open.js";
import { insertLifecycleMark } from "../store/repositories/pending-marks.js";
import { markReauthorizationSent, subscriptionsNearExpiry } from "../store/repositories/subscriptions.js";
import type { SurfaceProfiles } from "../policy/profile.js";

export async function queueReauthorizations(
  db: Db,
  secrets: SecretBox,
  profiles: SurfaceProfiles,
  now: number,
): Promise<number> {
  let queued = 0;
  for (const profile of Object.values(profiles)) {
    if (!profile?.lifecycle) continue;
    const { lifecycle } = profile;
    await db.transaction().execute(async (trx) => {
      const due = await subscriptionsNearExpiry(
        trx,
        secrets,
        profile.name,
        now,
        lifecycle.reauthorizationLeadMs,
      );
      for (const subscription of due) {
        // Every dispatcher node looks; the one whose update wins queues the event.
        if (!(await markReauthorizationSent(trx, subscription.id, now))) continue;
        await insertLifecycleMark(trx, secrets, {
          subscriptionId: subscription.id,
          url: subscription.lifecycleUrl!,
          surface: profile.name,
          payload: lifecycle.render(subscription, "reauthorizationRequired"),
          now,
        });
        queued++;
      }
    });
  }
  return queued;
}
