/**
 * The subscription calls of one surface, reduced to what a keeper needs: list, create, renew,
 * delete. Each surface file translates them to its own paths and payloads.
 */
import type { FeedTarget } from "../feeds/feed.js";
import type { ApiClient } from "../http/api-client.js";

export interface KeptSubscription {
  id: string;
  notificationUrl: string;
  /** Null when the service does not show it (Graph lists). */
  clientState: string | null | undefined;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export interface SubscriptionRequest {
  notificationUrl: string;
  clientState?: string;
  /** ISO 8601. */
  expirationDateTime: string;
  lifecycleNotificationUrl?: string;
}

export interface SubscriptionApi {
  /** The feed a subscription's notifications are about (for `receiver.startAtLatest`). */
  readonly target: FeedTarget;
  list(): Promise<KeptSubscription[]>;
  /** The subscription as it is now, or null if the service no longer has it. */
  get(id: string): Promise<KeptSubscription | null>;
  create(request: SubscriptionRequest): Promise<KeptSubscription>;
  /** Null when the subscription is gone (removed, or expired past its grace). */
  renew(id: string, expirationDateTime: string): Promise<KeptSubscription | null>;
  /** Deleting one that is already gone is fine. */
  remove(id: string): Promise<void>;
}

export interface SubscriptionApiOptions {
  api: ApiClient;
  baseUrl: string;
  resource: string;
  site?: string;
}

export function expiryOf(value: unknown): number {
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms))
    throw new Error(`the service answered an expirationDateTime that is not a date: ${String(value)}`);
  return ms;
}

/** Runs a call on one subscription; a 404 means it is gone. */
export async function unlessGone<T>(call: () => Promise<T>): Promise<T | null> {
  try {
    return await call();
  } catch (error) {
    if ((error as { status?: number }).status === 404) return null;
    throw error;
  }
}

/** A subscription as every surface answers it: the fields the keeper needs. */
export function kept(json: unknown): KeptSubscription {
  const s = json as Record<string, unknown>;
  return {
    id: String(s.id),
    notificationUrl: String(s.notificationUrl),
    clientState: s.clientState as string | null,
    expiresAt: expiryOf(s.expirationDateTime),
  };
}
