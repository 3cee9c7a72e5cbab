/**
 * Records what came of each delivery: the attempt rows, and then — by the surface's retry policy —
 * cleared marks, rescheduled marks, or dead letters (and, after repeated drops, a disabled
 * subscription). Outcomes that finish together are written in one transaction: SQLite commits are
 * the dispatcher's most expensive step, and batching them keeps throughput close to the network's.
 *
 * An outcome changes only marks this node still holds: once its lease ran out another node may
 * have taken a mark over, and that node's outcome decides. While the database is unreachable the
 * recorder keeps trying (within half a lease), so a restart of PostgreSQL does not turn delivered
 * notifications into duplicates.
 */
import type { SecretBox } from "../crypto/secret-box.js";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { Db } from "../store/open.js";
import { insertAttempts, insertDeadLetter, type AttemptRecord } from "../store/repositories/attempts.js";
import {
  deleteMarks,
  foldWaitingMarks,
  heldMarks,
  insertLifecycleMark,
  rescheduleMark,
  type ClaimedMark,
} from "../store/repositories/pending-marks.js";
import {
  deleteSubscription,
  recordDeliverySuccess,
  recordDrop,
  type SubscriptionRecord,
} from "../store/repositories/subscriptions.js";
import type { Executor } from "../store/repositories/types.js";
import { isTransientDatabaseError } from "../store/transient.js";
import type { LifecycleEvent, SurfaceProfile } from "../policy/profile.js";
import { nextAttemptAt } from "../policy/retry-policy.js";
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

export class OutcomeRecorder {
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
        const batch = this.#queue.splice(0, 500);
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
        await this.db.transaction().execute(async (trx) => {
          const held = await heldMarks(
            trx,
            this.rules.nodeId,
            outcomes.flatMap((o) => o.marks.map((m) => m.id)),
          );
          const attempts: AttemptRecord[] = [];
          const succeeded = outcomes.filter((o) => isDelivered(o));
          // Successes first, in bulk: one delete of their marks, one reset of drop counts.
          await deleteMarks(
            trx,
            succeeded.flatMap((o) => o.marks.filter((m) => held.has(m.id)).map((m) => m.id)),
          );
          await recordDeliverySuccess(trx, [
            ...new Set(succeeded.flatMap((o) => [...o.subscriptions.keys()])),
          ]);
          for (const outcome of outcomes) attempts.push(...(await this.#apply(trx, outcome, held)));
          // A change that came while a delivery was out has its own mark; now both would wait.
          await foldWaitingMarks(trx, [
            ...new Set(attempts.filter((a) => a.outcome === "failed").map((a) => a.subscriptionId)),
          ]);
          await insertAttempts(trx, attempts);
        });
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

  /**
   * Reschedules or drops the marks of a failed delivery, and returns the attempt rows of any
   * outcome. Marks taken over by another node are recorded as attempts (the POST was made) and
   * left alone.
   */
  async #apply(trx: Executor, outcome: DeliveryOutcome, held: Set<number>): Promise<AttemptRecord[]> {
    const { result, profile, at } = outcome;
    const delivered = isDelivered(outcome);
    const error = delivered ? null : (result.error ?? `HTTP ${result.statusCode}`);
    const attempts: AttemptRecord[] = [];
    for (const mark of outcome.marks) {
      let outcomeName: AttemptRecord["outcome"] = delivered ? "delivered" : "failed";
      if (!delivered && held.has(mark.id)) {
        const firstAttemptAt = mark.firstAttemptAt ?? at;
        const next = nextAttemptAt(profile.retry, mark.attempts + 1, firstAttemptAt, at);
        if (next !== null) {
          await rescheduleMark(trx, {
            id: mark.id,
            attempts: mark.attempts + 1,
            firstAttemptAt,
            dueAt: next,
            error: error!,
          });
        } else {
          outcomeName = "dropped";
          await this.#drop(trx, outcome, mark, firstAttemptAt, error!);
        }
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
        outcome: outcomeName,
      });
    }
    return attempts;
  }

  async #drop(
    trx: Executor,
    outcome: DeliveryOutcome,
    mark: ClaimedMark,
    firstAttemptAt: number,
    error: string,
  ) {
    const now = this.clock.now();
    const subscription = outcome.subscriptions.get(mark.subscriptionId);
    const tenantId = subscription?.tenantId ?? String(JSON.parse(mark.payload ?? "{}").tenantId ?? "");
    await insertDeadLetter(trx, {
      id: randomUUID(),
      tenantId,
      subscriptionId: mark.subscriptionId,
      notificationUrl: outcome.url,
      firstSeq: mark.firstSeq,
      lastSeq: mark.lastSeq,
      changeCount: mark.changeCount,
      attempts: mark.attempts + 1,
      firstAttemptAt,
      droppedAt: now,
      lastError: error,
      replayedAt: null,
    });
    await deleteMarks(trx, [mark.id]);
    this.logger.warn(
      { subscriptionId: mark.subscriptionId, url: outcome.url, error },
      "notification dropped into a dead letter",
    );
    // A lost lifecycle event is recorded, but it neither counts against the subscription nor
    // announces itself (a "missed" about a "missed" would never end).
    if (mark.kind === "lifecycle" || !subscription) return;
    const { profile } = outcome;
    if (profile.lifecycle && subscription.lifecycleUrl) {
      await this.#lifecycle(trx, profile, subscription, "missed", now);
    }
    const limit = this.rules.disableAfterDrops;
    const reason = `disabled after ${limit} notifications in a row were dropped; last error: ${error}`;
    const disabled = await recordDrop(trx, mark.subscriptionId, limit, now, reason);
    if (!disabled) return;
    this.logger.warn({ subscriptionId: mark.subscriptionId, reason }, "subscription disabled");
    if (profile.onPersistentFailure === "remove") {
      if (profile.lifecycle && subscription.lifecycleUrl) {
        await this.#lifecycle(trx, profile, subscription, "subscriptionRemoved", now);
      }
      await deleteSubscription(trx, subscription.id);
    }
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

function isDelivered({ result, profile }: DeliveryOutcome): boolean {
  return result.statusCode !== null && profile.isSuccess(result.statusCode);
}
