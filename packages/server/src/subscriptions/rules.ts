/** The rules every subscription obeys, whatever the surface: URL, clientState and expiration. */
import { NudgeError } from "../errors.js";
import type { SurfaceProfile } from "../policy/profile.js";

export const MAX_CLIENT_STATE = 128;

export function checkNotificationUrl(value: unknown, field = "notificationUrl"): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new NudgeError("invalidNotificationUrl", `${field} is required and must be a string.`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new NudgeError("invalidNotificationUrl", `${field} '${value}' is not an absolute URL.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new NudgeError(
      "invalidNotificationUrl",
      `${field} '${value}' must use http or https, not ${url.protocol.replace(":", "")}.`,
    );
  }
  if (url.username || url.password) {
    throw new NudgeError("invalidNotificationUrl", `${field} must not carry a user name or password.`);
  }
  return value;
}

export function checkClientState(value: unknown): string | null {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value !== "string") throw new NudgeError("invalidRequest", "clientState must be a string.");
  if (value.length > MAX_CLIENT_STATE) {
    throw new NudgeError(
      "clientStateTooLong",
      `clientState is ${value.length} characters long; the most allowed is ${MAX_CLIENT_STATE}.`,
      { reason: "tooLong", limit: { value: MAX_CLIENT_STATE, unit: "characters" } },
    );
  }
  return value;
}

/** Turns a requested expirationDateTime into a time, or the surface's default lifetime when absent. */
export function checkExpiration(value: unknown, now: number, lifetime: SurfaceProfile["lifetime"]): number {
  if (value === undefined || value === null || value === "") return now + lifetime.defaultMs;
  if (typeof value !== "string")
    throw new NudgeError("invalidExpiration", "expirationDateTime must be a string.");
  // A date without a zone is read as UTC, as SharePoint does; anything Date cannot read is refused.
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$/.test(value) ? `${value}Z` : value;
  const at = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(at)) {
    throw new NudgeError("invalidExpiration", `expirationDateTime '${value}' is not a valid ISO 8601 date.`, {
      reason: "unparsable",
    });
  }
  if (at <= now) {
    throw new NudgeError("invalidExpiration", `expirationDateTime '${value}' is in the past.`, {
      reason: "inThePast",
    });
  }
  if (at > now + lifetime.maxMs + lifetime.graceMs) {
    const days = Math.round(lifetime.maxMs / 86_400_000);
    throw new NudgeError(
      "invalidExpiration",
      `expirationDateTime '${value}' is more than ${days} days ahead; subscriptions may last at most ${days} days.`,
      { reason: "tooFar", limit: { value: lifetime.maxMs, unit: "ms" } },
    );
  }
  return at;
}
