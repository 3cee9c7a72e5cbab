/**
 * What the receiver answers, whatever the framework: the handshake at once (200, text/plain, the
 * decoded token), a refusal (400, 403, 405, 503) without running anything, or 202 for a genuine
 * notification, whose work is queued for after the answer.
 */
import type { Feed, FeedTarget } from "./feeds/feed.js";
import { validationTokenOf } from "./handshake.js";
import { notificationEntries, parseBody, type NotificationEntry } from "./notification.js";
import { entriesAreGenuine, type VerificationOptions } from "./verification.js";

export interface WebhookRequest {
  method: string;
  /** The request's path and query (`/hook?validationToken=…`), or an absolute URL. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** Raw (Buffer, string) or already parsed by a framework (an object); undefined for none. */
  body?: unknown;
}

export interface WebhookAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A notification that passed every check: the feeds to sync and the lifecycle events to report. */
export interface AcceptedNotification {
  entries: NotificationEntry[];
  /** Each change notification with the feed it is about. */
  notified: Array<{ entry: NotificationEntry; target: FeedTarget }>;
  lifecycleEvents: NotificationEntry[];
}

const answer = (status: number, body = "", headers: Record<string, string> = {}): WebhookAnswer => ({
  status,
  headers: body ? { "content-type": "text/plain; charset=utf-8", ...headers } : headers,
  body,
});

export async function answerWebhook(
  request: WebhookRequest,
  feed: Feed,
  verification: VerificationOptions,
  accepting: boolean,
): Promise<{ answer: WebhookAnswer; accepted?: AcceptedNotification }> {
  const token = validationTokenOf(request.url);
  if (token !== null) {
    // Echo exactly the token: an empty token is still a token (and still a 200).
    return { answer: { status: 200, headers: { "content-type": "text/plain; charset=utf-8" }, body: token } };
  }
  if (request.method.toUpperCase() !== "POST") {
    return { answer: answer(405, "Notifications are POSTed.", { allow: "POST" }) };
  }
  // Stopping: a 5xx makes the service retry later, when a receiver is there to take the work.
  if (!accepting) return { answer: answer(503, "The receiver is stopping.") };
  const raw = Buffer.isBuffer(request.body) || typeof request.body === "string" ? request.body : undefined;
  if (
    verification.verifySignature &&
    !(await verification.verifySignature({ headers: request.headers, body: raw }))
  ) {
    return { answer: answer(403, "The signature does not match.") };
  }
  const entries = notificationEntries(parseBody(request.body));
  if (!entries) return { answer: answer(400, 'A notification is {"value":[…]} in JSON.') };
  if (!entriesAreGenuine(entries, verification)) {
    return { answer: answer(403, "The notification does not carry this receiver's clientState.") };
  }
  const lifecycleEvents = entries.filter((entry) => typeof entry.lifecycleEvent === "string");
  const notified: AcceptedNotification["notified"] = [];
  for (const entry of entries) {
    if (lifecycleEvents.includes(entry)) continue;
    const target = feed.targetOf(entry);
    if (!target) return { answer: answer(400, "A notification entry lacks the fields this surface sends.") };
    notified.push({ entry, target });
  }
  return { answer: answer(202), accepted: { entries, notified, lifecycleEvents } };
}
