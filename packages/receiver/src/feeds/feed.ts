/**
 * A change feed: where a receiver pulls *what* changed after a notification said *that* it did.
 * Each surface has its own (terms as in the server's DESIGN):
 *
 * | surface         | target                     | position kept in the store                 | resync after expiry            |
 * | --------------- | -------------------------- | ------------------------------------------ | ------------------------------ |
 * | native          | resource id                | the feed's opaque `token`                  | jump to `token=latest`, re-read |
 * | sharepoint      | site URL + list id         | the last change's `ChangeToken.StringValue` | jump to the newest token, re-read |
 * | graph           | drive root path            | the `@odata.nextLink` / `@odata.deltaLink`  | enumerate the drive again       |
 * | onedrive-legacy | user id                    | `@delta.token`                             | enumerate the drive again       |
 * | onenote         | user id                    | newest `lastModifiedTime` + ids seen at it  | (timestamps never expire)       |
 */
import type { ApiClient } from "../http/api-client.js";
import type { NotificationEntry } from "../notification.js";

/** One change as the feed returned it: an SP.ChangeItem, a driveItem, a OneNote page, a native change. */
export type FeedChange = Record<string, unknown>;

export type FeedTarget =
  | { surface: "native"; resource: string }
  | { surface: "sharepoint"; siteUrl: string; list: string }
  | { surface: "graph"; resource: string }
  | { surface: "onenote"; userId: string }
  | { surface: "onedrive-legacy"; userId: string };

export interface FeedPage {
  changes: FeedChange[];
  /** Where to continue after this page; stored once the callback has taken the page. */
  position: string;
  /** Another page is ready now. */
  more: boolean;
}

export interface FeedContext {
  api: ApiClient;
  /** The API root, as Microsoft documents it (see docs/receiver.md). */
  baseUrl: string;
  pageSize: number;
}

export interface Feed<T extends FeedTarget = FeedTarget> {
  /** Which feed an entry is about; null when the entry lacks what the surface always sends. */
  targetOf(entry: NotificationEntry): T | null;
  /** One page from `position` (undefined: from the beginning, or the whole current state). */
  read(target: T, position: string | undefined, context: FeedContext): Promise<FeedPage>;
  /** A position at the end of the feed: nothing before now. */
  latest(target: T, context: FeedContext): Promise<string | undefined>;
  /**
   * After an expired position: `enumerate` reads the feed from no position (a full listing);
   * `latest` jumps to the end and tells the callback to re-read its own state.
   */
  resync: "enumerate" | "latest";
}

/** The stored position can no longer be served (410, SPInvalidChangeTokenException, changeTokenExpired). */
export class PositionExpiredError extends Error {
  override name = "PositionExpiredError";
}

/** The store key of a feed, and the unit of "one sync at a time". */
export function feedKeyOf(target: FeedTarget): string {
  switch (target.surface) {
    case "native":
    case "graph":
      return `${target.surface}:${target.resource}`;
    case "sharepoint":
      // SharePoint names sites case-insensitively and sends list ids in lower case.
      return `sharepoint:${target.siteUrl.toLowerCase()}:${target.list.toLowerCase()}`;
    case "onenote":
    case "onedrive-legacy":
      return `${target.surface}:${target.userId}`;
  }
}

export function nonEmpty(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}
