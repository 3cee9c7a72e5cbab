/**
 * The notification POST every surface sends: `{"value":[entry, …]}`. Entries say only *that*
 * something changed (and for whom); the receiver pulls *what* from the change feed.
 */

/** One entry of `value`, with the fields the surfaces use (others are kept as they came). */
export interface NotificationEntry {
  subscriptionId?: string;
  /** Native, SharePoint and Graph: the secret given when subscribing. */
  clientState?: string | null;
  /** Native: the resource id; SharePoint: the list id; Graph: the drive root path (`/me/drive/root`). */
  resource?: string;
  /** SharePoint: the site's server-relative URL (`/sites/dev`, or `/`). */
  siteUrl?: string;
  /** OneNote and the OneDrive preview: the user whose content changed. */
  userId?: string;
  /** Graph lifecycle events: `reauthorizationRequired`, `missed`, `subscriptionRemoved`. */
  lifecycleEvent?: string;
  [field: string]: unknown;
}

/** The entries of a notification body, or null when the body is not one. */
export function notificationEntries(body: unknown): NotificationEntry[] | null {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return null;
  const value = (body as { value?: unknown }).value;
  if (!Array.isArray(value)) return null;
  const entries = value.filter(
    (entry) => typeof entry === "object" && entry !== null && !Array.isArray(entry),
  );
  // An entry that is not an object makes the whole POST suspect: refuse it rather than guess.
  return entries.length === value.length ? (entries as NotificationEntry[]) : null;
}

/** The JSON of a body given as text or bytes (or already parsed by a framework); undefined if not JSON. */
export function parseBody(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    const text = body.toString();
    if (text.trim() === "") return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return body;
}
