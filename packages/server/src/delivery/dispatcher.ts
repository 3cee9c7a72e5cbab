/**
 * The dispatcher: its lifecycle (created → running → stopping → stopped), its caps and its rounds.
 * A round claims due pending marks with a lease, has batch-plan.ts group them into POSTs within the
 * caps per URL and per node, and starts them; each POST is rendered (notification-body.ts), sent
 * (sender.ts) and its outcome handed to the OutcomeWriter. Between rounds it waits on the Wakeup
 * (rung by writers, finished deliveries and queued lifecycle events) or the poll interval,
 * whichever comes first. Lifecycle warnings before expiry have their own scheduler, started and
 * stopped with the dispatcher.
 *
 * Longer than 250 lines: the lifecycle, the rounds, the launches and `idle()` (which tests settle
 * on) share the dispatcher's state; the in-flight bookkeeping (in-flight.ts), the claim budget,
 * the endpoint breaker and everything else a round does are in files of their own.
 */
import type { Logger } from "pino";
import type { Dispatcher as HttpDispatcher } from "undici";
import { isFakeClock, type Clock } from "../clock.js";
import type { Config } from "../config/defaults.js";
import { timeOrderedId } from "../crypto/time-ordered-id.js";
import type { SecretBox } from "../crypto/secret-box.js";
import type { SurfaceProfiles } from "../policy/profile.js";
import type { Db } from "../store/open.js";
import { releaseClaims } from "../store/repositories/claims.js";
import { deleteMarks } from "../store/repositories/pending-marks.js";
import { loadTargets, type NotificationTarget } from "../store/repositories/targets.js";
import type { Wakeup } from "../wakeup.js";
import { planBatches, type Batch } from "./batch-plan.js";
import { ClaimBudget } from "./claim-budget.js";
import { EndpointGuard } from "./endpoint-guard.js";
import { InFlight } from "./in-flight.js";
import { claimMarks } from "./lost-claims.js";
import { renderBody } from "./notification-body.js";
import { OutcomeWriter } from "./outcome-writer.js";
import { ReauthorizationScheduler } from "./reauthorization-scheduler.js";
import { sendDelivery } from "./sender.js";

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
  /** Opens clientStates and lifecycle events, and seals the events it queues. */
  secrets: SecretBox;
}

export class DeliveryDispatcher {
  #state: DispatcherState = "created";
  #loop: Promise<void> | null = null;
  readonly #inflight: InFlight;
  readonly #endpoints: EndpointGuard;
  readonly #outcomes: OutcomeWriter;
  readonly #reauthorization: ReauthorizationScheduler;
  #unsubscribeClock: (() => void) | null = null;
  /** Rounds begun so far, and who waits for an idle round (see `idle()`). */
  #rounds = 0;
  #idleWaiters: Array<{ after: number; resolve: () => void }> = [];

  constructor(private readonly deps: DispatcherDeps) {
    this.#inflight = new InFlight(deps.config.delivery);
    this.#endpoints = new EndpointGuard(deps, this.#inflight);
    this.#outcomes = new OutcomeWriter(
      deps.db,
      deps.secrets,
      deps.clock,
      {
        disableAfterDrops: deps.config.delivery.disableAfterDrops,
        nodeId: deps.nodeId,
        retryForMs: deps.config.delivery.leaseMs / 2,
      },
      deps.logger,
    );
    this.#reauthorization = new ReauthorizationScheduler(deps);
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
    this.#reauthorization.start();
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
    await this.#reauthorization.stop();
    this.deps.wakeup.ring();
    await this.#loop;
    const grace = this.deps.config.delivery.timeoutMs + 2000;
    await Promise.race([Promise.allSettled([...this.#inflight.tasks]), sleep(grace)]);
    // Anything still out is handed back, so another node (or the next start) sends it at once.
    await releaseClaims(this.deps.db, this.deps.nodeId, [...this.#inflight.marks]).catch(() => undefined);
    this.#state = "stopped";
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#state === "running") {
      let round = { started: 0, full: false };
      const number = ++this.#rounds;
      try {
        round = await this.runOnce();
        failures = 0;
        if (round.started === 0 && this.#inflight.size === 0) this.#wakeIdleWaiters(number);
      } catch (error) {
        failures++;
        this.deps.logger.error({ err: error }, "dispatcher round failed");
        await sleep(Math.min(100 * 2 ** failures, 5000));
      }
      // Straight on only when the round was full (more may be claimable at once). Otherwise it saw
      // everything it could take: what is left waits for a URL to free a slot or for new marks,
      // and both ring; a round now would only scan the same rows again (with a busy receiver's
      // 10,000 marks due, that scan was most of a fan-out's time).
      if (!(round.started > 0 && round.full) && this.#state === "running")
        await this.deps.wakeup.wait(this.deps.config.delivery.pollIntervalMs);
    }
  }

  /** Resolves the `idle()` waiters that asked before round `round` began. */
  #wakeIdleWaiters(round: number): void {
    const waiting = this.#idleWaiters;
    this.#idleWaiters = waiting.filter((w) => w.after >= round);
    for (const waiter of waiting) if (waiter.after < round) waiter.resolve();
  }

  /**
   * One round: claim what is due and start sending it. Returns how many deliveries it started, and
   * whether it was full (it stopped claiming for want of free slots, not of due marks).
   */
  async runOnce(): Promise<{ started: number; full: boolean }> {
    const { config, db, clock, nodeId } = this.deps;
    const capacity = this.#inflight.capacity;
    // Under load, a round per finished delivery would spend the node on claim queries for one
    // slot each; wait until a quarter of the slots are free (finished deliveries ring the bell).
    const minimumRound = this.#inflight.counted > 0 ? Math.ceil(config.delivery.globalConcurrency / 4) : 1;
    if (capacity < minimumRound) return { started: 0, full: false };
    const now = clock.now();
    const busyUrls = [...this.#inflight.byUrl]
      .filter(([, n]) => n >= config.delivery.endpointConcurrency)
      .map(([u]) => u);
    const budget = new ClaimBudget(
      {
        postSlots: capacity,
        endpointConcurrency: config.delivery.endpointConcurrency,
        maxBatchSize: config.delivery.maxBatchSize,
      },
      this.#inflight.byUrl,
      this.#endpoints.view(now),
    );
    const claimed = (
      await claimMarks(
        db,
        {
          nodeId,
          now,
          leaseMs: config.delivery.leaseMs,
          // Read in pages of as many candidates as there are free slots; the budget counts the POSTs
          // they would fill (marks for one URL share POSTs), so that a URL with many marks due
          // gets full POSTs and claiming more than can be started is rare.
          limit: capacity,
          pages: 4,
          budget,
          skipUrls: busyUrls,
          secrets: this.deps.secrets,
        },
        this.#inflight.marks,
      )
    ).filter((m) => !this.#inflight.marks.has(m.id));
    if (claimed.length === 0) return { started: 0, full: false };

    const { targets, unreadable } = await loadTargets(
      db,
      this.deps.secrets,
      claimed.map((m) => m.subscriptionId),
    );
    const plan = planBatches({
      marks: claimed,
      targets,
      unreadableTargets: unreadable,
      profiles: this.deps.profiles,
      now,
      caps: config.delivery,
      inFlight: { byUrl: this.#inflight.byUrl, total: this.#inflight.counted },
    });
    // Started before anything is awaited: the plan counted the POSTs in flight as they are now.
    for (const batch of plan.batches) this.#launch(batch, targets);
    this.#reportUnreadable(plan.unreadable);
    if (plan.stale.length > 0) await deleteMarks(db, plan.stale);
    if (plan.release.length > 0) await releaseClaims(db, nodeId, plan.release);
    return { started: plan.batches.length, full: budget.full };
  }

  /**
   * Sealed values that do not open (a row altered or copied by hand: start-up refuses a wrong key)
   * cannot be rendered; sending a wrong or missing clientState would teach the receiver to ignore
   * it. Their marks are dropped like a deleted subscription's, and each is logged as an error.
   */
  #reportUnreadable(subscriptionIds: string[]): void {
    for (const subscriptionId of subscriptionIds) {
      this.deps.logger.error(
        { subscriptionId },
        "clientState does not open with the configured secrets key; its notifications are not sent",
      );
    }
  }

  #launch(batch: Batch, targets: Map<string, NotificationTarget>): void {
    this.#inflight.add(
      batch,
      () =>
        this.#deliver(batch, targets).catch((error) =>
          this.deps.logger.error({ err: error, url: batch.url }, "delivery failed unexpectedly"),
        ),
      // A POST turned slow freed a slot, and a finished one its URL's: a round may start more.
      { onSlow: () => this.deps.wakeup.ring(), onDone: () => this.deps.wakeup.ring() },
    );
  }

  async #deliver(batch: Batch, targets: Map<string, NotificationTarget>): Promise<void> {
    const { config, clock, http, logger } = this.deps;
    const deliveryId = timeOrderedId();
    const body = renderBody(batch, targets);
    const at = clock.now();
    const result = await sendDelivery(http, batch.url, body.json, deliveryId, {
      timeoutMs: config.delivery.timeoutMs,
      responseBodyLimitBytes: config.delivery.responseBodyLimitBytes,
    });
    logger.debug(
      {
        deliveryId,
        url: batch.url,
        status: result.statusCode,
        durationMs: result.durationMs,
        notifications: body.notifications,
        error: result.error,
      },
      "delivery",
    );
    await this.#endpoints.hear(batch.url, result);
    await this.#outcomes.record({
      deliveryId,
      url: batch.url,
      profile: batch.profile,
      marks: batch.marks,
      subscriptions: body.subscriptions,
      at,
      result,
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
