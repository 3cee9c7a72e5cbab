/**
 * App-level registrations. OneNote and the OneDrive preview have no subscription calls: an app
 * registers one webhook URL, and each API call it makes on a user's behalf registers (or renews)
 * that user for it. Notifications then cover every change in resources the user owns — whoever
 * made them — for as long as the user keeps using the app (OneNote: six months; preview: two).
 */
import type { ServiceContext } from "../context.js";
import type { Principal } from "../identity/principal.js";
import { NudgeError } from "../errors.js";
import { checkAppWebhook } from "../identity/app-webhook.js";
import { findApp, updateAppWebhook, type AppRecord } from "../store/repositories/identity.js";
import {
  findRegistration,
  renewRegistration,
  reRegisterAppWebhook,
} from "../store/repositories/registrations.js";
import type { ResourceRecord } from "../store/repositories/resources.js";
import { insertSubscription } from "../store/repositories/subscriptions.js";
import type { SurfaceProfile } from "../policy/profile.js";
import { newSubscriptionRecord } from "./record.js";

/** Renewing on every call would write on every read; once a minute is plenty for months-long windows. */
const RENEW_EVERY_MS = 60_000;

export class AppRegistrations {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Sets (or clears) an app's app-level webhook. Re-registering it enables its users'
   * registrations again (the owner has fixed the receiver), and moves them to the new URL.
   */
  async setAppWebhook(
    tenantId: string,
    appIdOrClientId: string,
    input: { webhookUrl?: unknown; rootDomain?: unknown },
  ): Promise<AppRecord> {
    const app = await findApp(this.ctx.db, tenantId, appIdOrClientId);
    if (!app) throw new NudgeError("appNotFound");
    const webhook = checkAppWebhook({ rootDomain: app.rootDomain, ...input });
    await this.ctx.db.transaction().execute(async (trx) => {
      await updateAppWebhook(trx, app.id, webhook);
      await reRegisterAppWebhook(trx, app.id, webhook.webhookUrl, this.ctx.clock.now());
    });
    return { ...app, ...webhook };
  }

  /**
   * Registers the calling user for the app's webhook on a surface, or renews the registration.
   * `resource` is the user's own container (their notebooks, their drive). Apps without a
   * webhook URL — or, for the OneDrive preview, without a root domain — register nothing.
   */
  async touch(principal: Principal, profile: SurfaceProfile, resource: ResourceRecord): Promise<void> {
    if (resource.ownerId !== principal.userId) return;
    const app = await findApp(this.ctx.db, principal.tenantId, principal.appId);
    if (!app?.webhookUrl) return;
    if (profile.appLevel?.requiresRootDomain && !app.rootDomain) return;
    const now = this.ctx.clock.now();
    const expiresAt = now + profile.lifetime.defaultMs;
    const existing = await findRegistration(this.ctx.db, this.ctx.secrets, app.id, profile.name, resource.id);
    if (existing) {
      if (expiresAt - existing.expiresAt < RENEW_EVERY_MS && existing.notificationUrl === app.webhookUrl)
        return;
      await renewRegistration(this.ctx.db, existing.id, { expiresAt, notificationUrl: app.webhookUrl, now });
      return;
    }
    try {
      await this.#register(principal, app.id, app.webhookUrl, profile, resource, now);
    } catch (error) {
      // A concurrent first call registered the user a moment ago (one registration per user and
      // surface is a unique index): theirs stands, as fresh as this one would have been.
      if (!(await findRegistration(this.ctx.db, this.ctx.secrets, app.id, profile.name, resource.id)))
        throw error;
    }
  }

  async #register(
    principal: Principal,
    appId: string,
    webhookUrl: string,
    profile: SurfaceProfile,
    resource: ResourceRecord,
    now: number,
  ): Promise<void> {
    await insertSubscription(
      this.ctx.db,
      this.ctx.secrets,
      newSubscriptionRecord(
        {
          tenantId: principal.tenantId,
          resourceId: resource.id,
          appId,
          creatorId: principal.userId,
          surface: profile.name,
          notificationUrl: webhookUrl,
          clientState: null,
          expiresAt: now + profile.lifetime.defaultMs,
          registration: "app-level",
        },
        now,
      ),
    );
  }
}
