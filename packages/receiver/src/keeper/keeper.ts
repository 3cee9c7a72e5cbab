/**
 * `keepSubscription`: a subscription that exists as long as the keeper runs. It finds the
 * subscription by notificationUrl (a restarted receiver adopts its own) or creates one, then renews
 * it before it expires: on a timer, on every move of a fake clock, or when `check()` is called.
 * A subscription the service dropped (removed after failures, expired past its grace) is made anew.
 *
 * App-level surfaces (OneNote, the OneDrive preview) have nothing to keep: the app's webhook is
 * set once by the operator, and each user stays registered while the app calls the API for them.
 */
import type { Dispatcher } from "undici";
import { systemClock, type Clock } from "../clock.js";
import type { FeedTarget } from "../feeds/feed.js";
import { ApiClient, type TokenSource } from "../http/api-client.js";
import { isAppLevel, type SurfaceName, type SubscriptionSurface } from "../surfaces.js";
import { graphSubscriptions } from "./graph.js";
import { nativeSubscriptions } from "./native.js";
import { sharePointSubscriptions } from "./sharepoint.js";
import type { KeptSubscription, SubscriptionApi, SubscriptionApiOptions } from "./subscription-api.js";

const DAY = 24 * 60 * 60 * 1000;
const MINUTE = 60 * 1000;

/** A little under each service's maximum, so a client clock slightly ahead is not refused. */
export const DEFAULT_LIFETIME_MS: Record<SubscriptionSurface, number> = {
  native: 179 * DAY,
  sharepoint: 179 * DAY,
  graph: 42_240 * MINUTE,
};

export const DEFAULT_RENEW_BEFORE_MS: Record<SubscriptionSurface, number> = {
  native: 7 * DAY,
  sharepoint: 7 * DAY,
  graph: DAY,
};

export interface KeepSubscriptionOptions {
  surface: SurfaceName;
  /** The API root, as for createReceiver's `feed.baseUrl`. */
  baseUrl: string;
  /** Native: the resource id; SharePoint: the list's id or title; Graph: a drive root (`/me/drive/root`). */
  resource: string;
  /** SharePoint: the site (`/sites/dev`); default the root site. */
  site?: string;
  notificationUrl: string;
  clientState?: string;
  /** Graph: where lifecycle events go (a receiver answers their handshake too). */
  lifecycleNotificationUrl?: string;
  /** How far ahead each creation or renewal sets the expiry. */
  lifetimeMs?: number;
  /** Renew once the expiry is this close. */
  renewBeforeMs?: number;
  /** How often a real timer checks (default one hour; 0: never, call `check()` yourself). */
  checkEveryMs?: number;
  clock?: Clock;
  getAccessToken?: TokenSource;
  dispatcher?: Dispatcher;
  /** A check driven by the timer or the clock failed (it is tried again at the next one). */
  onError?: (error: unknown) => void;
}

export interface SubscriptionKeeper {
  /** The subscription as last created or renewed. */
  readonly subscription: KeptSubscription;
  /** The feed its notifications are about (for `receiver.startAtLatest`). */
  readonly target: FeedTarget;
  /** Renews if the expiry is within `renewBeforeMs`; recreates a subscription that is gone. */
  check(): Promise<void>;
  /** Renews now. */
  renew(): Promise<void>;
  /** Stops checking; the subscription stays. */
  stop(): void;
  /** Stops checking and deletes the subscription. */
  delete(): Promise<void>;
}

async function subscriptionApiFor(surface: SubscriptionSurface, options: SubscriptionApiOptions) {
  if (surface === "sharepoint") return sharePointSubscriptions(options);
  return surface === "graph" ? graphSubscriptions(options) : nativeSubscriptions(options);
}

export async function keepSubscription(options: KeepSubscriptionOptions): Promise<SubscriptionKeeper> {
  const { surface } = options;
  if (isAppLevel(surface)) {
    throw new TypeError(
      `${surface} has no subscriptions to keep: its notifications go to the app's webhook, and a user stays registered while the app calls the API for them`,
    );
  }
  const clock = options.clock ?? systemClock;
  const lifetime = options.lifetimeMs ?? DEFAULT_LIFETIME_MS[surface];
  const renewBefore = options.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS[surface];
  const onError =
    options.onError ?? ((error) => console.error("@nudge/receiver: subscription check failed:", error));
  const api = new ApiClient({
    ...(options.getAccessToken && { accessToken: options.getAccessToken }),
    ...(options.dispatcher && { dispatcher: options.dispatcher }),
  });
  const subscriptions: SubscriptionApi = await subscriptionApiFor(surface, {
    api,
    baseUrl: options.baseUrl,
    resource: options.resource,
    ...(options.site !== undefined && { site: options.site }),
  });
  const expiration = () => new Date(clock.now() + lifetime).toISOString();
  const create = () =>
    subscriptions.create({
      notificationUrl: options.notificationUrl,
      expirationDateTime: expiration(),
      ...(options.clientState !== undefined && { clientState: options.clientState }),
      ...(options.lifecycleNotificationUrl !== undefined && {
        lifecycleNotificationUrl: options.lifecycleNotificationUrl,
      }),
    });

  let current = await adoptOrCreate(subscriptions, options, create);
  let stopped = false;
  // Checks run one after another: a timer tick and a clock move must not renew twice at once.
  let checks: Promise<void> = Promise.resolve();
  const serially = (step: () => Promise<void>): Promise<void> => {
    const run = checks.then(step);
    checks = run.catch(() => undefined);
    return run;
  };
  const renewNow = async () => {
    current = (await subscriptions.renew(current.id, expiration())) ?? (await create());
  };
  const check = () =>
    serially(async () => {
      if (!stopped && clock.now() >= current.expiresAt - renewBefore) await renewNow();
    });
  const background = () => void check().catch(onError);

  const interval = options.checkEveryMs ?? 60 * MINUTE;
  const timer = interval > 0 ? setInterval(background, interval) : undefined;
  timer?.unref();
  const stopListening = clock.onMove?.(background);
  await check();

  const stop = () => {
    stopped = true;
    if (timer) clearInterval(timer);
    stopListening?.();
  };
  return {
    get subscription() {
      return current;
    },
    target: subscriptions.target,
    check,
    renew: () => serially(renewNow),
    stop,
    async delete() {
      stop();
      await checks;
      await subscriptions.remove(current.id);
    },
  };
}

/**
 * The subscription this receiver already has (same notificationUrl), or a new one. One whose
 * clientState differs is replaced: notifications would carry a secret the receiver refuses.
 */
async function adoptOrCreate(
  subscriptions: SubscriptionApi,
  options: KeepSubscriptionOptions,
  create: () => Promise<KeptSubscription>,
): Promise<KeptSubscription> {
  const found = (await subscriptions.list()).find((s) => s.notificationUrl === options.notificationUrl);
  // Lists may hide the clientState (Graph's do): read the subscription itself.
  const existing = found && (await subscriptions.get(found.id));
  if (existing && (existing.clientState ?? undefined) === options.clientState) return existing;
  if (existing) await subscriptions.remove(existing.id);
  return create();
}
