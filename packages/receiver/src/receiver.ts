/**
 * `createReceiver`: everything a webhook receiver must do, done once. The result is a request
 * handler for node:http and Express (`(req, res, next?)`), with `answer()` for any other framework
 * (see http/fastify.ts); it answers handshakes, refuses forged POSTs, answers 202 at once, and then
 * syncs each notified feed — one sync per feed at a time — handing the changes to `onChanges` and
 * keeping the feed's position in the store.
 */
import type { Dispatcher } from "undici";
import { systemClock, type Clock } from "./clock.js";
import { feedKeyOf, type FeedContext, type FeedTarget } from "./feeds/feed.js";
import { DEFAULT_PAGE_SIZE, feedFor } from "./feeds/index.js";
import { ApiClient } from "./http/api-client.js";
import { nodeHandler, type NodeHandler } from "./http/node.js";
import type { NotificationEntry } from "./notification.js";
import { FileTokenStore } from "./store/file-store.js";
import type { TokenStore } from "./store/token-store.js";
import type { SurfaceName } from "./surfaces.js";
import { SyncQueue } from "./sync-queue.js";
import { RetrySchedule } from "./retry-schedule.js";
import { positionAtLatest, syncFeed, type ChangeCallback } from "./sync.js";
import type { VerificationOptions } from "./verification.js";
import { answerWebhook, type WebhookAnswer, type WebhookRequest } from "./webhook.js";

/** Where the default file store keeps positions, relative to the working directory. */
export const DEFAULT_STORE_PATH = ".nudge/receiver-tokens.json";

/** After a failed sync: wait this long, then try again (then wait for the next notification). */
export const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];

export interface AccessTokenRequest {
  surface: SurfaceName;
  /** The feed about to be read: for app-level surfaces, `target.userId` is whose token is needed. */
  target: FeedTarget;
}

export interface ReceiverOptions extends VerificationOptions {
  surface: SurfaceName;
  feed: {
    /**
     * The API root, as `apiRootOf(surface, host)` gives it: native `http://nudge:8080`; SharePoint
     * the host (`https://contoso.sharepoint.com`); Graph `https://graph.microsoft.com/v1.0`;
     * OneNote `https://www.onenote.com/api/v1.0`; OneDrive preview `https://api.onedrive.com/v1.0`
     * (on Nudge: its URL followed by the same paths).
     */
    baseUrl: string;
    pageSize?: number;
  };
  /** Takes each page of changes; the position after it is stored only when this returns. */
  onChanges: ChangeCallback;
  /** Default: a FileTokenStore at DEFAULT_STORE_PATH. */
  store?: TokenStore;
  /** The bearer token for a feed call (Microsoft services: from your OAuth library). */
  getAccessToken?: (request: AccessTokenRequest) => string | undefined | Promise<string | undefined>;
  /** For the feed calls, e.g. an undici Agent that trusts a self-signed certificate. */
  dispatcher?: Dispatcher;
  /** Hears every accepted notification, after the 202 (keep it quick: it runs before the syncs). */
  onNotification?: (entries: NotificationEntry[]) => void;
  /**
   * Graph lifecycle events (`reauthorizationRequired`: renew, e.g. `keeper.renew()`;
   * `subscriptionRemoved`: subscribe again; `missed`: the feed of a subscription heard from before
   * is synced anyway).
   */
  onLifecycleEvent?: (entry: NotificationEntry) => void;
  /** A sync failed (feed unreachable, callback threw); it is retried by `retryDelaysMs`. Default: console.error. */
  onError?: (error: unknown, context: { key: string; target: FeedTarget; attempt: number }) => void;
  retryDelaysMs?: number[];
  /**
   * Where retry delays are measured (default: the system clock, with real timers). A clock that
   * tells of its moves (a test's FakeClock) brings due retries as it moves, with no real timer.
   */
  clock?: Clock;
  /** Largest notification body read (default 1 MiB); larger is a 413. */
  maxBodyBytes?: number;
}

export interface Receiver extends NodeHandler {
  readonly surface: SurfaceName;
  /** The framework-neutral core: what to answer to one request. */
  answer(request: WebhookRequest): Promise<WebhookAnswer>;
  /** Asks for a sync of a feed, as a notification would (catching up after a restart, or polling). */
  sync(target: FeedTarget): void;
  /** Stores the feed's newest position, so later syncs see only later changes. */
  startAtLatest(target: FeedTarget): Promise<void>;
  /** Resolves when no sync is running or queued. */
  idle(): Promise<void>;
  /** Refuses new notifications (503, so they are retried) and waits for the syncs under way. */
  close(): Promise<void>;
}

export function createReceiver(options: ReceiverOptions): Receiver {
  const feed = feedFor(options.surface);
  const store = options.store ?? new FileTokenStore(DEFAULT_STORE_PATH);
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const onError =
    options.onError ?? ((error, { key }) => console.error(`@nudge/receiver: sync of ${key} failed:`, error));
  const targets = new Map<string, FeedTarget>();
  /** The feed each subscription's notifications were about, for lifecycle events (which name only the subscription). */
  const feedOfSubscription = new Map<string, FeedTarget>();
  const failures = new Map<string, number>();
  let accepting = true;

  const contextFor = (target: FeedTarget): FeedContext => ({
    api: new ApiClient({
      accessToken: () => options.getAccessToken?.({ surface: options.surface, target }),
      ...(options.dispatcher && { dispatcher: options.dispatcher }),
    }),
    baseUrl: options.feed.baseUrl,
    pageSize: options.feed.pageSize ?? DEFAULT_PAGE_SIZE[options.surface],
  });

  const retries = new RetrySchedule(options.clock ?? systemClock, (key) => queue.request(key));
  const queue = new SyncQueue(async (key) => {
    const target = targets.get(key)!;
    try {
      const job = { surface: options.surface, feed, target, key, store, context: contextFor(target) };
      await syncFeed({ ...job, onChanges: options.onChanges });
      failures.delete(key);
    } catch (error) {
      const attempt = (failures.get(key) ?? 0) + 1;
      failures.set(key, attempt);
      onError(error, { key, target, attempt });
      scheduleRetry(key, attempt);
    }
  });

  function scheduleRetry(key: string, attempt: number): void {
    const delay = retryDelays[attempt - 1];
    if (delay === undefined || !accepting) {
      failures.delete(key);
      return;
    }
    retries.schedule(key, delay);
  }

  /** A hook that throws must not take the process down (it runs outside any request). */
  function hook(name: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      console.error(`@nudge/receiver: ${name} threw:`, error);
    }
  }

  function requestSync(target: FeedTarget): void {
    const key = feedKeyOf(target);
    targets.set(key, target);
    queue.request(key);
  }

  async function answer(request: WebhookRequest): Promise<WebhookAnswer> {
    const result = await answerWebhook(request, feed, options, accepting);
    const accepted = result.accepted;
    if (accepted) {
      // After the answer is on its way: the service is waiting for it, the work is not.
      setImmediate(() => {
        hook("onNotification", () => options.onNotification?.(accepted.entries));
        for (const { entry, target } of accepted.notified) {
          if (entry.subscriptionId) feedOfSubscription.set(entry.subscriptionId, target);
          requestSync(target);
        }
        for (const event of accepted.lifecycleEvents) {
          // `missed`: a notification was dropped; the feed still has the changes, so read it.
          const missed =
            event.lifecycleEvent === "missed" && feedOfSubscription.get(String(event.subscriptionId));
          if (missed) requestSync(missed);
          hook("onLifecycleEvent", () => options.onLifecycleEvent?.(event));
        }
      });
    }
    return result.answer;
  }

  const receiver = nodeHandler(answer, options.maxBodyBytes ?? 1024 * 1024) as Receiver;
  return Object.assign(receiver, {
    surface: options.surface,
    answer,
    sync: requestSync,
    startAtLatest(target: FeedTarget): Promise<void> {
      const key = feedKeyOf(target);
      return queue.exclusive(key, () =>
        positionAtLatest({ feed, target, key, store, context: contextFor(target) }),
      );
    },
    idle: () => queue.idle(),
    async close(): Promise<void> {
      accepting = false;
      retries.clear();
      await queue.idle();
    },
  });
}
