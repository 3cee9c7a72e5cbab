/** Reading the delivery record (attempts, dead letters) and replaying dead letters. */
import type { ServiceContext } from "../context.js";
import { NudgeError } from "../errors.js";
import type { Principal } from "../identity/principal.js";
import * as attempts from "../store/repositories/attempts.js";
import { countMarks, insertMark } from "../store/repositories/pending-marks.js";
import { findSubscription } from "../store/repositories/subscriptions.js";
import type { SubscriptionService } from "../subscriptions/service.js";

export type { AttemptRecord, DeadLetterRecord } from "../store/repositories/attempts.js";

export class DeliveryService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly subscriptions: SubscriptionService,
  ) {}

  async attemptsOf(
    principal: Principal,
    subscriptionId: string,
    limit = 100,
  ): Promise<attempts.AttemptRecord[]> {
    await this.subscriptions.get(principal, subscriptionId);
    return attempts.listAttempts(this.ctx.db, { subscriptionIds: [subscriptionId], limit });
  }

  /** Every attempt, newest first (operators: `nudge deliveries list`). */
  allAttempts(filter: { subscriptionId?: string; limit: number }): Promise<attempts.AttemptRecord[]> {
    return attempts.listAttempts(this.ctx.db, {
      ...(filter.subscriptionId && { subscriptionIds: [filter.subscriptionId] }),
      limit: filter.limit,
    });
  }

  /** The dead letters of the caller's own subscriptions (of one of them, with `subscriptionId`). */
  async deadLetters(principal: Principal, filter: { subscriptionId?: string; limit?: number } = {}) {
    const only = filter.subscriptionId
      ? [(await this.subscriptions.get(principal, filter.subscriptionId)).id]
      : undefined;
    return attempts.listDeadLetters(this.ctx.db, {
      tenantId: principal.tenantId,
      creatorId: principal.userId,
      ...(only && { subscriptionIds: only }),
      limit: filter.limit ?? 100,
    });
  }

  async deadLetter(principal: Principal, id: string): Promise<attempts.DeadLetterRecord> {
    const letter = await attempts.findDeadLetter(this.ctx.db, id);
    if (!letter || letter.tenantId !== principal.tenantId) throw new NudgeError("deadLetterNotFound");
    try {
      await this.subscriptions.get(principal, letter.subscriptionId);
    } catch {
      throw new NudgeError("deadLetterNotFound");
    }
    return letter;
  }

  /** Sends a dropped notification again, now, as a fresh mark with a fresh retry schedule. */
  async replay(principal: Principal, id: string): Promise<attempts.DeadLetterRecord> {
    const letter = await this.deadLetter(principal, id);
    const subscription = await findSubscription(this.ctx.db, this.ctx.secrets, letter.subscriptionId);
    if (!subscription) throw new NudgeError("subscriptionNotFound");
    if (subscription.disabledAt !== null) throw new NudgeError("subscriptionDisabled");
    const now = this.ctx.clock.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await insertMark(trx, {
        subscriptionId: subscription.id,
        notificationUrl: subscription.notificationUrl,
        firstSeq: letter.firstSeq,
        lastSeq: letter.lastSeq,
        changeCount: letter.changeCount,
        now,
      });
      await attempts.markDeadLetterReplayed(trx, letter.id, now);
    });
    this.ctx.wakeup.ring();
    return { ...letter, replayedAt: now };
  }

  pendingCount(subscriptionId?: string): Promise<number> {
    return countMarks(this.ctx.db, subscriptionId);
  }
}
