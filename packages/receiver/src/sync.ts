/**
 * One sync of one feed: read page after page from the stored position, hand each page to the
 * callback, and store the position after a page only once the callback has returned. A crash or a
 * failing callback therefore replays the page next time; nothing is skipped. An expired position
 * restarts the feed (a resync), and the callback is told.
 */
import {
  PositionExpiredError,
  type Feed,
  type FeedChange,
  type FeedContext,
  type FeedTarget,
} from "./feeds/feed.js";
import type { TokenStore } from "./store/token-store.js";
import type { SurfaceName } from "./surfaces.js";

export interface ChangeBatch {
  surface: SurfaceName;
  /** The feed: which resource, list, drive or user. */
  target: FeedTarget;
  /** The feed's key in the token store. */
  key: string;
  /** The changes as the feed returned them: SP.ChangeItem, driveItem, OneNote page, native change. */
  changes: FeedChange[];
  /**
   * The stored position had expired and the feed restarted. Graph and the OneDrive preview then
   * list every item as it is now (pages with `resync: true`); native and SharePoint feeds cannot,
   * so they send one batch with no changes: re-read your copy of the resource, then go on.
   * (OneNote's timestamps never expire.)
   */
  resync: boolean;
  /** No position was stored: this sync reads the feed from its beginning (a full listing on Graph and OneNote). */
  initial: boolean;
}

export type ChangeCallback = (batch: ChangeBatch) => void | Promise<void>;

export interface SyncJob {
  surface: SurfaceName;
  feed: Feed;
  target: FeedTarget;
  key: string;
  store: TokenStore;
  context: FeedContext;
  onChanges: ChangeCallback;
}

export async function syncFeed(job: SyncJob): Promise<void> {
  const { feed, target, key, store, context } = job;
  const stored = await store.get(key);
  const batch = (changes: FeedChange[], resync: boolean): ChangeBatch => ({
    surface: job.surface,
    target,
    key,
    changes,
    resync,
    initial: stored === undefined,
  });
  // "" is a stored "from the beginning": a feed that had nothing yet when it was positioned.
  let position = stored || undefined;
  let saved = stored;
  let restarted = false;
  let enumerating = false;
  for (;;) {
    let page;
    try {
      page = await feed.read(target, position, context);
    } catch (error) {
      // One restart per sync: a feed that expires its fresh position too is failing, not expiring.
      if (!(error instanceof PositionExpiredError) || restarted) throw error;
      restarted = true;
      if (feed.resync === "enumerate") {
        enumerating = true;
        position = undefined;
        continue;
      }
      // Take the new position first, so changes made while the callback re-reads are not lost.
      const latest = (await feed.latest(target, context)) ?? "";
      await job.onChanges(batch([], true));
      await store.set(key, latest);
      saved = latest;
      position = latest || undefined;
      continue;
    }
    if (page.changes.length > 0 || enumerating) await job.onChanges(batch(page.changes, enumerating));
    if (page.position !== saved) await store.set(key, page.position);
    saved = page.position;
    position = page.position || undefined;
    if (!page.more) return;
  }
}

/** Positions the feed at its end (what `startAtLatest` does): later syncs see only later changes. */
export async function positionAtLatest(job: Omit<SyncJob, "onChanges" | "surface">): Promise<void> {
  await job.store.set(job.key, (await job.feed.latest(job.target, job.context)) ?? "");
}
