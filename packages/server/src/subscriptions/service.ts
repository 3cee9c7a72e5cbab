/**
 * Subscriptions: create (after the validation handshake), read, renew, change and delete.
 * Nothing is stored until the receiver has echoed the validation token.
 */
import type { Dispatcher } from "undici";
import type { ServiceContext } from "../context.js";
import { NudgeError } from "../errors.js";
import type { Principal } from "../identity/principal.js";
import type { ResourceRecord } from "../store/repositories/resources.js";
import * as repo from "../store/repositories/subscriptions.js";
import type { SurfaceProfile } from "../policy/profile.js";
import { validateReceiver } from "./handshake.js";
import { overviewOfSubscriptions, type SubscriptionOverview } from "./overview.js";
import { newSubscriptionRecord } from "./record.js";
import { checkClientState, checkExpiration, checkNotificationUrl } from "./rules.js";

export type { SubscriptionRecord } from "../store/repositories/subscriptions.js";

export interface NewSubscription {
  notificationUrl: unknown;
  clientState?: unknown;
  expirationDateTime?: unknown;
  /** Graph: where lifecycle events go; validated by its own handshake. */
  lifecycleNotificationUrl?: unknown;
  /** The resource as the client named it (Graph: `/me/drive/root`), echoed in notifications. */
  resourcePath?: string;
}

/** The receiver failed the validation handshake; surfaces that word a time-out apart (Graph) read `timedOut`. */
export class HandshakeFailedError extends NudgeError {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super("notificationUrlValidationFailed", message);
  }
}

export interface SubscriptionPatch {
  notificationUrl?: unknown;
  clientState?: unknown;
  expirationDateTime?: unknown;
}

export class SubscriptionService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly http: Dispatcher,
  ) {}

  async create(
    principal: Principal,
    resource: ResourceRecord,
    profile: SurfaceProfile,
    input: NewSubscription,
  ): Promise<repo.SubscriptionRecord> {
    const notificationUrl = checkNotificationUrl(input.notificationUrl);
    const clientState = checkClientState(input.clientState);
    const expiresAt = checkExpiration(input.expirationDateTime, this.ctx.clock.now(), profile.lifetime);
    const lifecycleUrl =
      input.lifecycleNotificationUrl === undefined || input.lifecycleNotificationUrl === null
        ? null
        : checkNotificationUrl(input.lifecycleNotificationUrl, "lifecycleNotificationUrl");
    await this.handshake(notificationUrl, profile);
    if (lifecycleUrl) await this.handshake(lifecycleUrl, profile);
    const subscription = newSubscriptionRecord(
      {
        tenantId: principal.tenantId,
        resourceId: resource.id,
        appId: principal.appId,
        creatorId: principal.userId,
        surface: profile.name,
        notificationUrl,
        clientState,
        expiresAt,
        lifecycleUrl,
        resourcePath: input.resourcePath ?? null,
      },
      this.ctx.clock.now(),
    );
    await repo.insertSubscription(this.ctx.db, this.ctx.secrets, subscription);
    return subscription;
  }

  /**
   * A subscription the caller may act on: one they made, in their tenant, of the given surface.
   * Seeing a resource (owning it, or through a grant) lets a user read its feed and subscribe to
   * it, never read, change, delete or replay someone else's subscription: to everyone but its
   * creator another user's subscription does not exist (404, so its id reveals nothing).
   */
  async get(principal: Principal, id: string, surface?: string): Promise<repo.SubscriptionRecord> {
    const subscription = await repo.findSubscription(this.ctx.db, this.ctx.secrets, id);
    if (
      !subscription ||
      subscription.tenantId !== principal.tenantId ||
      subscription.creatorId !== principal.userId ||
      (surface && subscription.surface !== surface)
    ) {
      throw new NudgeError("subscriptionNotFound");
    }
    return subscription;
  }

  /**
   * The caller's own subscriptions (on one resource, or all of them), hiding those past the
   * expiry grace period. Other users' subscriptions on a shared resource are never listed.
   */
  list(
    principal: Principal,
    filter: { resource?: ResourceRecord; surface?: string; madeByThisApp?: boolean } = {},
  ): Promise<repo.SubscriptionRecord[]> {
    return repo.listSubscriptions(this.ctx.db, this.ctx.secrets, {
      tenantId: principal.tenantId,
      creatorId: principal.userId,
      ...(filter.madeByThisApp && { appId: principal.appId }),
      ...(filter.resource && { resourceId: filter.resource.id }),
      ...(filter.surface && { surface: filter.surface }),
      expiredAfter: this.ctx.clock.now() - this.graceMs(),
    });
  }

  /**
   * Renews or changes a subscription. A new notificationUrl is validated by a fresh handshake
   * first. Renewing a disabled subscription enables it again (its owner has fixed the receiver).
   */
  async update(
    principal: Principal,
    id: string,
    profile: SurfaceProfile,
    patch: SubscriptionPatch,
  ): Promise<repo.SubscriptionRecord> {
    const current = await this.get(principal, id, profile.name);
    const now = this.ctx.clock.now();
    const changes: repo.SubscriptionChanges = { updatedAt: now };
    if (patch.notificationUrl !== undefined)
      changes.notificationUrl = checkNotificationUrl(patch.notificationUrl);
    if (patch.clientState !== undefined) changes.clientState = checkClientState(patch.clientState);
    if (patch.expirationDateTime !== undefined) {
      changes.expiresAt = checkExpiration(patch.expirationDateTime, now, profile.lifetime);
      changes.enable = true;
    }
    if (changes.notificationUrl && changes.notificationUrl !== current.notificationUrl) {
      await this.handshake(changes.notificationUrl, profile);
    }
    await this.ctx.db
      .transaction()
      .execute((trx) => repo.updateSubscription(trx, this.ctx.secrets, id, changes));
    return (await repo.findSubscription(this.ctx.db, this.ctx.secrets, id))!;
  }

  async delete(principal: Principal, id: string, surface?: string): Promise<void> {
    await this.get(principal, id, surface);
    await this.ctx.db.transaction().execute((trx) => repo.deleteSubscription(trx, id));
  }

  /** The operator's view of every subscription, across tenants (`nudge subscriptions list`). */
  overview(filter: { tenantId?: string } = {}): Promise<SubscriptionOverview[]> {
    return overviewOfSubscriptions(this.ctx, filter);
  }

  /** Removes subscriptions whose grace period after expiry has passed. */
  purgeExpired(): Promise<number> {
    return this.ctx.db
      .transaction()
      .execute((trx) => repo.purgeExpiredSubscriptions(trx, this.ctx.clock.now() - this.graceMs()));
  }

  private graceMs(): number {
    return this.ctx.config.subscriptions.expiredGraceDays * 86_400_000;
  }

  private async handshake(notificationUrl: string, profile: SurfaceProfile): Promise<void> {
    const result = await validateReceiver(this.http, notificationUrl, profile.handshake);
    if (!result.ok) {
      throw new HandshakeFailedError(
        `Failed to validate the notification URL '${notificationUrl}'. ${capitalise(result.reason)}.`,
        result.timedOut,
      );
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
