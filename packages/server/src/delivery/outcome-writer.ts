/**
 * Writes down what came of each delivery: the attempt rows, and then — as decisions.ts decides —
 * cleared marks, rescheduled marks, or dead letters (and, after repeated drops, a disabled or
 * removed subscription). Outcomes that finish together are written in one transaction: SQLite
 * commits are the dispatcher's most expensive step, and batching them keeps throughput close to
 * the network's.
 *
 * An outcome changes only marks this node still holds: once its lease ran out another node may
 * have taken a mark over, and that node's outcome decides. While the database is unreachable the
 * writer keeps trying (within half a lease), so a restart of PostgreSQL does not turn delivered
 * notifications into duplicates.
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { SecretBox } from "../crypto/secret-box.js";
import type { LifecycleEvent, SurfaceProfile } from "../policy/profile.js";
import type { Db } from "../store/open.js";
import { insertAttempts, insertDeadLetter, type AttemptRecord } from "../store/repositories/attempts.js";
import { heldMarks, type ClaimedMark } from "../store/repositories/claims.js";
import { foldWaitingMarks } from "../store/repositories/mark-folding.js";
import { deleteMarks, insertLifecycleMark, rescheduleMark } from "../store/repositories/pending-marks.js";
import {
  deleteSubscription,
  recordDeliverySuccess,
  recordDrop,
  type SubscriptionRecord,
} from "../store/repositories/subscriptions.js";
import type { Executor } from "../store/repositories/types.js";
import { isTransientDatabaseError } from "../store/transient.js";
import {
  afterDisable,
  afterDrop,
  attemptOutcome,
  decideMark,
  failureOf,
  isDelivered,
  type MarkDecision,
} from "./decisions.js";
import { nextBatchSize } from "./outcome-batches.js";
import type { SendResult } from "./sender.js";

export interface DeliveryOutcome {
  deliveryId: string;
  url: string;
  profile: SurfaceProfile;
  marks: ClaimedMark[];
  /** The subscriptions of change marks (lifecycle marks carry what they need). */
  subscriptions: Map<string, SubscriptionRecord>;
  at: number;
  result: SendResult;
}

export interface OutcomeRules {
  disableAfterDrops: number;
  /** This node's id in claims: outcomes change only the marks it still holds. */
  nodeId: string;
  /** How long (real time) to keep retrying a commit that failed because the database was unreachable. */
  retryForMs: number;
}

type Drop = Extract<MarkDecision, { kind: "drop" }>;

export class OutcomeWriter {
  #queue: Array<{ outcome: DeliveryOutcome; done: () => void; fail: (e: unknown) => void }> = [];
  #flushing = false;

  constructor(
    private readonly db: Db,
    /** Seals the lifecycle events it queues (they carry the clientState). */
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
    private readonly rules: OutcomeRules,
    private readonly logger: Logger,
  ) {}

  /** Resolves once the outcome is committed. */
  record(outcome: DeliveryOutcome): Promise<void> {
    return new Promise((done, fail) => {
      this.#queue.push({ outcome, done, fail });
      if (this.#flushing) return;
      this.#flushing = true;
      // Wait for the rest of this turn of the event loop: deliveries that finished together are
      // then written in one transaction, with one statement per kind of write.
      setImmediate(() => void this.#flush());
    });
  }

  async #flush(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.splice(0, nextBatchSize(this.#queue.map((entry) => entry.outcome)));
        try {
          await this.#commit(batch.map((entry) => entry.outcome));
          for (const entry of batch) entry.done();
        } catch (error) {
          this.logger.error(
            { err: error },
            "could not record delivery outcomes; their marks stay claimed until the lease ends",
          );
          for (const entry of batch) entry.fail(error);
        }
        if (this.#queue.length > 0) await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Applies outcomes in one transaction, again after a short wait while the database is unreachable. */
  async #commit(outcomes: DeliveryOutcome[]): Promise<void> {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.transaction().execute((trx) => this.#write(trx, outcomes));
        return;
      } catch (error) {
        const waitMs = Math.min(100 * 2 ** attempt, 2000);
        if (!isTransientDatabaseError(error) || performance.now() - started + waitMs > this.rules.retryForMs)
          throw error;
        this.logger.warn({ err: error, attempt }, "recording delivery outcomes failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  async #write(trx: Executor, outcomes: DeliveryOutcome[]): Promise<void> {
    const held = await heldMarks(
      trx,
      this.rules.nodeId,
      outcomes.flatMap((o) => o.marks.map((m) => m.id)),
    );
    const attempts: AttemptRecord[] = [];
    const succeeded = outcomes.filter((o) => isDelivered(o.result, o.profile));
    // Successes first, in bulk: one delete of their marks, one reset of drop counts.
    await deleteMarks(
      trx,
      succeeded.flatMap((o) => o.marks.filter((m) => held.has(m.id)).map((m) => m.id)),
    );
    await recordDeliverySuccess(trx, [...new Set(succeeded.flatMap((o) => [...o.subscriptions.keys()]))]);
    for (const outcome of outcomes) attempts.push(...(await this.#apply(trx, outcome, held)));
    // A change that came while a delivery was out has its own mark; now both would wait.
    await foldWaitingMarks(trx, [
      ...new Set(attempts.filter((a) => a.outcome === "failed").map((a) => a.subscriptionId)),
    ]);
    await insertAttempts(trx, attempts);
  }

  /**
   * Reschedules or drops the marks of a failed delivery, and returns the attempt rows of any
   * outcome. Marks taken over by another node are recorded as attempts (the POST was made) and
   * left alone.
   */
  async #apply(trx: Executor, outcome: DeliveryOutcome, held: Set<number>): Promise<AttemptRecord[]> {
    const { result, profile, at } = outcome;
    const delivered = isDelivered(result, profile);
    const error = delivered ? null : failureOf(result);
    const attempts: AttemptRecord[] = [];
    for (const mark of outcome.marks) {
      const history = {
        attempts: mark.attempts,
        firstAttemptAt: mark.firstAttemptAt,
        held: held.has(mark.id),
      };
      const decision = decideMark(delivered, profile.retry, history, at);
      if (decision.kind === "retry") {
        await rescheduleMark(trx, { id: mark.id, ...decision, error: error! });
      } else if (decision.kind === "drop") {
        await this.#drop(trx, outcome, mark, decision, error!);
      }
      attempts.push({
        deliveryId: outcome.deliveryId,
        subscriptionId: mark.subscriptionId,
        markId: mark.id,
        notificationUrl: outcome.url,
        attempt: mark.attempts + 1,
        at,
        statusCode: result.statusCode,
        durationMs: result.durationMs,
        error,
        outcome: attemptOutcome(decision),
      });
    }
    return attempts;
  }

  async #drop(trx: Executor, outcome: DeliveryOutcome, mark: ClaimedMark, drop: Drop, error: string) {
    const now = this.clock.now();
    const subscription = outcome.subscriptions.get(mark.subscriptionId);
    const tenantId =
      subscription?.tenantId ??
      (mark.kind === "lifecycle" ? String(JSON.parse(mark.payload ?? "{}").tenantId ?? "") : "");
    // A lifecycle event announces no changes: its dead letter covers none.
    const changes =
      mark.kind === "change"
        ? { firstSeq: mark.firstSeq, lastSeq: mark.lastSeq, changeCount: mark.changeCount }
        : { firstSeq: 0, lastSeq: 0, changeCount: 0 };
    await insertDeadLetter(trx, {
      id: randomUUID(),
      tenantId,
      subscriptionId: mark.subscriptionId,
      notificationUrl: outcome.url,
      ...changes,
      attempts: drop.attempts,
      firstAttemptAt: drop.firstAttemptAt,
      droppedAt: now,
      lastError: error,
      replayedAt: null,
    });
    await deleteMarks(trx, [mark.id]);
    this.logger.warn(
      { subscriptionId: mark.subscriptionId, url: outcome.url, error },
      "notification dropped into a dead letter",
    );
    const { profile } = outcome;
    const followUp = afterDrop(mark.kind, profile, subscription, this.rules.disableAfterDrops, error);
    if (!subscription || !followUp.countDrop) return;
    for (const event of followUp.announce) await this.#lifecycle(trx, profile, subscription, event, now);
    const { limit, reason } = followUp.countDrop;
    const disabled = await recordDrop(trx, mark.subscriptionId, limit, now, reason);
    if (!disabled) return;
    this.logger.warn({ subscriptionId: mark.subscriptionId, reason }, "subscription disabled");
    const ending = afterDisable(profile, subscription);
    for (const event of ending.announce) await this.#lifecycle(trx, profile, subscription, event, now);
    if (ending.remove) await deleteSubscription(trx, subscription.id);
  }

  async #lifecycle(
    trx: Executor,
    profile: SurfaceProfile,
    subscription: SubscriptionRecord,
    event: LifecycleEvent,
    now: number,
  ): Promise<void> {
    await insertLifecycleMark(trx, this.secrets, {
      subscriptionId: subscription.id,
      url: subscription.lifecycleUrl!,
      surface: profile.name,
      payload: profile.lifecycle!.render(subscription, event),
      now,
    });
  }
}
