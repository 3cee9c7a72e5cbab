/**
 * The dispatcher: claims due pending marks with a lease, groups them by notification URL (and
 * surface), renders `{"value":[...]}` batches, sends them with a cap per endpoint and per node,
 * and hands the results to the OutcomeRecorder.
 *
 * Lifecycle: created → running → stopping → stopped. Between rounds it waits on the Wakeup
 * (rung by writers and finished deliveries) or the poll interval, whichever comes first.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Dispatcher as HttpDispatcher } from "undici";
import { isFakeClock, type Clock } from "../clock.js";
import type { Config } from "../config/defaults.js";
import type { Db } from "../store/open.js";
import { deleteMarks, releaseClaims, type ClaimedMark } from "../store/repositories/pending-marks.js";
import type { SubscriptionRecord } from "../store/repositories/subscriptions.js";
import { loadTargets, type NotificationTarget } from "../store/repositories/targets.js";
import type { SurfaceName, SurfaceProfile } from "../surfaces/profile.js";
import type { SurfaceProfiles } from "../surfaces/profiles.js";
import { claimMarks } from "./lost-claims.js";
import { OutcomeRecorder } from "./outcomes.js";
import { queueReauthorizations } from "./reauthorization.js";
import { sendDelivery } from "./sender.js";
import type { Wakeup } from "./wakeup.js";

export type DispatcherState = "created" | "running" | "stopping" | "stopped";

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  config: Readonly<Config>;
  wakeup: Wakeup;
  http: HttpDispatcher;
  profiles: SurfaceProfiles;
  logger: Logger;
  nodeId: string;
}

interface Batch {
  url: string;
  profile: SurfaceProfile;
  /** Lifecycle events (ready-made payloads) travel in batches of their own. */
  lifecycle: boolean;
  marks: ClaimedMark[];
}

export class DeliveryDispatcher {
  #state: DispatcherState = "created";
  #loop: Promise<void> | null = null;
  readonly #inflight = new Set<Promise<void>>();
  readonly #inflightByUrl = new Map<string, number>();
  readonly #inflightMarks = new Set<number>();
  readonly #outcomes: OutcomeRecorder;
  #unsubscribeClock: (() => void) | null = null;
  #lastReauthorizationScan = Number.NEGATIVE_INFINITY;
  /** Rounds begun so far, and who waits for an idle round (see `idle()`). */
  #rounds = 0;
  #idleWaiters: Array<{ after: number; resolve: () => void }> = [];

  constructor(private readonly deps: DispatcherDeps) {
    this.#outcomes = new OutcomeRecorder(
      deps.db,
      deps.clock,
      {
        disableAfterDrops: deps.config.delivery.disableAfterDrops,
        nodeId: deps.nodeId,
        retryForMs: deps.config.delivery.leaseMs / 2,
      },
      deps.logger,
    );
  }

  get state(): DispatcherState {
    return this.#state;
  }

  get inflightCount(): number {
    return this.#inflight.size;
  }

  /**
   * Resolves once a round that began after this call found nothing due at `clock.now()` and no
   * delivery is in flight: every notification due now has been sent and its outcome recorded. Tests
   * use it to check that nothing more arrives without waiting for real time to pass; on a fake
   * clock, retries scheduled later are not due until the clock moves. A dispatcher that is not
   * running has nothing to finish.
   */
  idle(): Promise<void> {
    if (this.#state !== "running") return Promise.resolve();
    return new Promise((resolve) => {
      this.#idleWaiters.push({ after: this.#rounds, resolve });
      this.deps.wakeup.ring();
    });
  }

  start(): void {
    if (this.#state !== "created") throw new Error(`dispatcher cannot start from state ${this.#state}`);
    this.#state = "running";
    // A fake clock moving makes retries due without any real time passing: look at once.
    if (isFakeClock(this.deps.clock))
      this.#unsubscribeClock = this.deps.clock.onMove(() => this.deps.wakeup.ring());
    this.#loop = this.#run().finally(() => this.#wakeIdleWaiters(Number.POSITIVE_INFINITY));
  }

  /** Stops claiming, lets in-flight deliveries finish (they are bounded by the delivery time-out). */
  async stop(): Promise<void> {
    if (this.#state !== "running") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopping";
    this.#unsubscribeClock?.();
    this.deps.wakeup.ring();
    await this.#loop;
    const grace = this.deps.config.delivery.timeoutMs + 2000;
    await Promise.race([Promise.allSettled([...this.#inflight]), sleep(grace)]);
    // Anything still out is handed back, so another node (or the next start) sends it at once.
    await releaseClaims(this.deps.db, this.deps.nodeId, [...this.#inflightMarks]).catch(() => undefined);
    this.#state = "stopped";
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#state === "running") {
      let started = 0;
      const round = ++this.#rounds;
      try {
        started = await this.runOnce();
        failures = 0;
        if (started === 0 && this.#inflight.size === 0) this.#wakeIdleWaiters(round);
      } catch (error) {
        failures++;
        this.deps.logger.error({ err: error }, "dispatcher round failed");
        await sleep(Math.min(100 * 2 ** failures, 5000));
      }
      if (started === 0 && this.#state === "running")
        await this.deps.wakeup.wait(this.deps.config.delivery.pollIntervalMs);
    }
  }

  /** Resolves the `idle()` waiters that asked before round `round` began. */
  #wakeIdleWaiters(round: number): void {
    const waiting = this.#idleWaiters;
    this.#idleWaiters = waiting.filter((w) => w.after >= round);
    for (const waiter of waiting) if (waiter.after < round) waiter.resolve();
  }

  /** One round: claim what is due and start sending it. Returns how many deliveries it started. */
  async runOnce(): Promise<number> {
    const { config, db, clock, nodeId } = this.deps;
    // Lifecycle warnings are looked for every half minute of clock time, not every round.
    if (clock.now() - this.#lastReauthorizationScan >= 30_000) {
      this.#lastReauthorizationScan = clock.now();
      await queueReauthorizations(db, this.deps.profiles, clock.now());
    }
    const capacity = config.delivery.globalConcurrency - this.#inflight.size;
    // Under load, a round per finished delivery would spend the node on claim queries for one
    // slot each; wait until a quarter of the slots are free (finished deliveries ring the bell).
    const minimumRound = this.#inflight.size > 0 ? Math.ceil(config.delivery.globalConcurrency / 4) : 1;
    if (capacity < minimumRound) return 0;
    const now = clock.now();
    const busyUrls = [...this.#inflightByUrl]
      .filter(([, n]) => n >= config.delivery.endpointConcurrency)
      .map(([u]) => u);
    const claimed = (
      await claimMarks(db, {
        nodeId,
        now,
        leaseMs: config.delivery.leaseMs,
        // As many marks as there are free slots: marks for one URL still share POSTs, and claiming
        // more than can be started would only be released again.
        limit: capacity,
        skipUrls: busyUrls,
      })
    ).filter((m) => !this.#inflightMarks.has(m.id));
    if (claimed.length === 0) return 0;

    const targets = await loadTargets(
      db,
      claimed.map((m) => m.subscriptionId),
    );
    const stale: number[] = [];
    const batches = new Map<string, Batch>();
    for (const mark of claimed) {
      const placed = this.#place(mark, targets, now);
      if (!placed) {
        stale.push(mark.id);
        continue;
      }
      const key = `${mark.kind} ${placed.name} ${mark.notificationUrl}`;
      let batch = batches.get(key);
      if (!batch) {
        batch = {
          url: mark.notificationUrl,
          profile: placed,
          lifecycle: mark.kind === "lifecycle",
          marks: [],
        };
        batches.set(key, batch);
      }
      batch.marks.push(mark);
    }
    if (stale.length > 0) await deleteMarks(db, stale);

    const release: number[] = [];
    let started = 0;
    for (const batch of batches.values()) {
      for (const chunk of chunkBySubscription(batch.marks, config.delivery.maxBatchSize)) {
        const running = this.#inflightByUrl.get(batch.url) ?? 0;
        if (
          running >= config.delivery.endpointConcurrency ||
          this.#inflight.size >= config.delivery.globalConcurrency
        ) {
          release.push(...chunk.map((m) => m.id));
          continue;
        }
        this.#launch({ ...batch, marks: chunk }, targets);
        started++;
      }
    }
    if (release.length > 0) await releaseClaims(db, nodeId, release);
    return started;
  }

  /**
   * The profile a mark is sent under, or null when it must not be sent: expired, disabled or
   * deleted subscriptions get no notifications (lifecycle events are sent regardless — telling a
   * receiver its subscription was removed is their point).
   */
  #place(mark: ClaimedMark, targets: Map<string, NotificationTarget>, now: number): SurfaceProfile | null {
    if (mark.kind === "lifecycle") return this.deps.profiles[mark.surface as SurfaceName] ?? null;
    const target = targets.get(mark.subscriptionId);
    const profile = target && this.deps.profiles[target.subscription.surface as SurfaceName];
    if (
      !target ||
      !profile ||
      target.subscription.disabledAt !== null ||
      target.subscription.expiresAt <= now
    ) {
      return null;
    }
    return profile;
  }

  #launch(batch: Batch, targets: Map<string, NotificationTarget>): void {
    this.#inflightByUrl.set(batch.url, (this.#inflightByUrl.get(batch.url) ?? 0) + 1);
    for (const mark of batch.marks) this.#inflightMarks.add(mark.id);
    const task = this.#deliver(batch, targets)
      .catch((error) =>
        this.deps.logger.error({ err: error, url: batch.url }, "delivery failed unexpectedly"),
      )
      .finally(() => {
        const left = (this.#inflightByUrl.get(batch.url) ?? 1) - 1;
        if (left === 0) this.#inflightByUrl.delete(batch.url);
        else this.#inflightByUrl.set(batch.url, left);
        for (const mark of batch.marks) this.#inflightMarks.delete(mark.id);
        this.#inflight.delete(task);
        this.deps.wakeup.ring();
      });
    this.#inflight.add(task);
  }

  async #deliver(batch: Batch, targets: Map<string, NotificationTarget>): Promise<void> {
    const { config, clock, http, logger } = this.deps;
    const deliveryId = randomUUID();
    // One notification per subscription, however many marks (changes) it has in this batch.
    const value: Record<string, unknown>[] = [];
    const subscriptions = new Map<string, SubscriptionRecord>();
    for (const mark of batch.marks) {
      if (batch.lifecycle) {
        value.push(JSON.parse(mark.payload ?? "{}") as Record<string, unknown>);
        continue;
      }
      if (subscriptions.has(mark.subscriptionId)) continue;
      const target = targets.get(mark.subscriptionId)!;
      subscriptions.set(mark.subscriptionId, target.subscription);
      value.push(batch.profile.renderNotification(target));
    }
    const at = clock.now();
    const result = await sendDelivery(http, batch.url, JSON.stringify({ value }), deliveryId, {
      timeoutMs: config.delivery.timeoutMs,
      responseBodyLimitBytes: config.delivery.responseBodyLimitBytes,
    });
    logger.debug(
      {
        deliveryId,
        url: batch.url,
        status: result.statusCode,
        durationMs: result.durationMs,
        notifications: value.length,
        error: result.error,
      },
      "delivery",
    );
    await this.#outcomes.record({
      deliveryId,
      url: batch.url,
      profile: batch.profile,
      marks: batch.marks,
      subscriptions,
      at,
      result,
    });
  }
}

/** Splits marks into POST-sized chunks, keeping all marks of one subscription in the same chunk. */
function chunkBySubscription(marks: ClaimedMark[], maxNotifications: number): ClaimedMark[][] {
  const bySubscription = new Map<string, ClaimedMark[]>();
  for (const mark of marks) {
    const list = bySubscription.get(mark.subscriptionId);
    if (list) list.push(mark);
    else bySubscription.set(mark.subscriptionId, [mark]);
  }
  const chunks: ClaimedMark[][] = [];
  let current: ClaimedMark[] = [];
  let count = 0;
  for (const group of bySubscription.values()) {
    if (count === maxNotifications) {
      chunks.push(current);
      current = [];
      count = 0;
    }
    current.push(...group);
    count++;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
