/**
 * @nudge/receiver: the receiver's half of change notifications, for Nudge and for the Microsoft
 * services it mirrors (SharePoint list webhooks, Graph drive subscriptions, OneNote and OneDrive
 * preview webhooks). See docs/receiver.md.
 */
export { createReceiver, DEFAULT_RETRY_DELAYS_MS, DEFAULT_STORE_PATH } from "./receiver.js";
export type { AccessTokenRequest, Receiver, ReceiverOptions } from "./receiver.js";
export type { ChangeBatch, ChangeCallback } from "./sync.js";
export type { FeedChange, FeedTarget } from "./feeds/feed.js";
export { feedKeyOf } from "./feeds/feed.js";
export type { NotificationEntry } from "./notification.js";
export type { WebhookAnswer, WebhookRequest } from "./webhook.js";
export type { SignedRequest } from "./verification.js";
export { fastifyWebhook } from "./http/fastify.js";
export type { FrameworkRequest, NodeHandler } from "./http/node.js";
export { FileTokenStore } from "./store/file-store.js";
export { MemoryTokenStore, type TokenStore } from "./store/token-store.js";
export { keepSubscription, DEFAULT_LIFETIME_MS, DEFAULT_RENEW_BEFORE_MS } from "./keeper/keeper.js";
export type { KeepSubscriptionOptions, SubscriptionKeeper } from "./keeper/keeper.js";
export type { KeptSubscription } from "./keeper/subscription-api.js";
export { HttpError } from "./http/api-client.js";
export type { Clock } from "./clock.js";
export {
  SURFACES,
  isAppLevel,
  isSurfaceName,
  type SurfaceName,
  type SubscriptionSurface,
} from "./surfaces.js";
export { apiRootOf } from "./api-roots.js";
