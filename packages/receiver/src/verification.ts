/**
 * Is this POST from the service we subscribed with? The clientState is the secret shared when
 * subscribing (native, SharePoint, Graph echo it in every entry); OneNote's entries name the app's
 * client id instead; and a signature over the body can be checked by a hook, for services that
 * sign (Nudge does not, today). One entry that fails fails the whole POST: 403, nothing runs.
 */
import { timingSafeEqual } from "node:crypto";
import type { NotificationEntry } from "./notification.js";

export interface SignedRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, when the framework left it raw (undefined after a JSON body parser). */
  body: Buffer | string | undefined;
}

export interface VerificationOptions {
  /** The clientState every entry must carry, or a function of the entry (per subscription). */
  clientState?: string | ((entry: NotificationEntry) => string | undefined);
  /** OneNote: the app's client id, which every entry carries as `subscriptionId`. */
  appId?: string;
  /** Checks a signature header over the raw body; false answers 403. */
  verifySignature?: (request: SignedRequest) => boolean | Promise<boolean>;
}

export function entriesAreGenuine(entries: NotificationEntry[], options: VerificationOptions): boolean {
  return entries.every((entry) => {
    const expected =
      typeof options.clientState === "function" ? options.clientState(entry) : options.clientState;
    if (expected !== undefined && !sameSecret(entry.clientState, expected)) return false;
    if (options.appId !== undefined && !sameSecret(entry.subscriptionId, options.appId)) return false;
    return true;
  });
}

/** Compares in constant time, so the answer's timing does not reveal how much of a guess was right. */
function sameSecret(given: unknown, expected: string): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
