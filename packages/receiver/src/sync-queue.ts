/**
 * One sync at a time per feed, and no sync more than needed. Services send notifications for the
 * same user in quick succession ("expect concurrent notifications"): a notification that arrives
 * while its feed syncs asks for exactly one more sync after it (the running sync may have read its
 * page before the change landed), and any number of further notifications before that one starts
 * are already covered by it, since every sync reads from the stored position to the end.
 */
interface FeedQueue {
  /** The last job queued on this feed; the next one starts when it settles. */
  tail: Promise<void>;
  /** A sync is queued and has not started: new requests are covered by it. */
  syncQueued: boolean;
  /** Jobs queued or running. */
  jobs: number;
}

export class SyncQueue {
  readonly #feeds = new Map<string, FeedQueue>();

  constructor(private readonly sync: (key: string) => Promise<void>) {}

  /** Asks for a sync of a feed (what a notification does). */
  request(key: string): void {
    const feed = this.#feed(key);
    if (feed.syncQueued) return;
    feed.syncQueued = true;
    this.#enqueue(key, feed, () => {
      feed.syncQueued = false;
      return this.sync(key);
    });
  }

  /** Runs `job` alone on a feed: after the sync in progress, before any sync asked for later. */
  exclusive<T>(key: string, job: () => Promise<T>): Promise<T> {
    const feed = this.#feed(key);
    return new Promise<T>((resolve, reject) => {
      this.#enqueue(key, feed, () => job().then(resolve, reject));
    });
  }

  /** Feeds with a sync running or queued. */
  get busyFeeds(): string[] {
    return [...this.#feeds.keys()];
  }

  /** Resolves when no feed has a sync running or queued. */
  async idle(): Promise<void> {
    while (this.#feeds.size > 0) await Promise.all([...this.#feeds.values()].map((feed) => feed.tail));
  }

  #feed(key: string): FeedQueue {
    let feed = this.#feeds.get(key);
    if (!feed) {
      feed = { tail: Promise.resolve(), syncQueued: false, jobs: 0 };
      this.#feeds.set(key, feed);
    }
    return feed;
  }

  #enqueue(key: string, feed: FeedQueue, job: () => Promise<void>): void {
    feed.jobs += 1;
    feed.tail = feed.tail
      .then(job)
      // The sync reports its own errors; the chain must go on whatever a job did.
      .catch(() => undefined)
      .finally(() => {
        feed.jobs -= 1;
        if (feed.jobs === 0) this.#feeds.delete(key);
      });
  }
}
