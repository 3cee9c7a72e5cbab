/** The record of every attempt and every dead letter. */
import type { Executor } from "./types.js";

export interface AttemptRecord {
  id?: number;
  /** null for an `unknown` outcome: the id of a POST is stored only with its outcome. */
  deliveryId: string | null;
  subscriptionId: string;
  markId: number;
  notificationUrl: string;
  attempt: number;
  at: number;
  statusCode: number | null;
  durationMs: number | null;
  error: string | null;
  /** `unknown`: the node sending it died before recording what came of it (see delivery/lost-claims.ts). */
  outcome: "delivered" | "failed" | "dropped" | "unknown";
}

/** Rows per INSERT: well under SQLite's limit of bound variables (11 a row). */
const ATTEMPT_ROWS_PER_INSERT = 1000;

export async function insertAttempts(db: Executor, attempts: AttemptRecord[]): Promise<void> {
  for (let i = 0; i < attempts.length; i += ATTEMPT_ROWS_PER_INSERT) {
    await insertAttemptRows(db, attempts.slice(i, i + ATTEMPT_ROWS_PER_INSERT));
  }
}

async function insertAttemptRows(db: Executor, attempts: AttemptRecord[]): Promise<void> {
  await db
    .insertInto("attempts")
    .values(
      attempts.map((a) => ({
        delivery_id: a.deliveryId,
        subscription_id: a.subscriptionId,
        mark_id: a.markId,
        notification_url: a.notificationUrl,
        attempt: a.attempt,
        at: a.at,
        status_code: a.statusCode,
        duration_ms: a.durationMs,
        error: a.error,
        outcome: a.outcome,
      })),
    )
    .execute();
}

export interface AttemptFilter {
  subscriptionIds?: string[];
  tenantId?: string;
  limit: number;
}

export async function listAttempts(db: Executor, filter: AttemptFilter): Promise<AttemptRecord[]> {
  let q = db.selectFrom("attempts").selectAll("attempts");
  if (filter.subscriptionIds) {
    if (filter.subscriptionIds.length === 0) return [];
    q = q.where("attempts.subscription_id", "in", filter.subscriptionIds);
  }
  if (filter.tenantId) {
    q = q
      .innerJoin("subscriptions", "subscriptions.id", "attempts.subscription_id")
      .where("subscriptions.tenant_id", "=", filter.tenantId);
  }
  const rows = await q.orderBy("attempts.id", "desc").limit(filter.limit).execute();
  return rows.map((r) => ({
    id: r.id,
    deliveryId: r.delivery_id,
    subscriptionId: r.subscription_id,
    markId: r.mark_id,
    notificationUrl: r.notification_url,
    attempt: r.attempt,
    at: Number(r.at),
    statusCode: r.status_code,
    durationMs: r.duration_ms,
    error: r.error,
    outcome: r.outcome as AttemptRecord["outcome"],
  }));
}

export interface DeadLetterRecord {
  id: string;
  tenantId: string;
  subscriptionId: string;
  notificationUrl: string;
  firstSeq: number;
  lastSeq: number;
  changeCount: number;
  attempts: number;
  firstAttemptAt: number | null;
  droppedAt: number;
  lastError: string | null;
  replayedAt: number | null;
}

type DeadLetterRow = {
  id: string;
  tenant_id: string;
  subscription_id: string;
  notification_url: string;
  first_seq: number;
  last_seq: number;
  change_count: number;
  attempts: number;
  first_attempt_at: number | null;
  dropped_at: number;
  last_error: string | null;
  replayed_at: number | null;
};

function toDeadLetter(r: DeadLetterRow): DeadLetterRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    subscriptionId: r.subscription_id,
    notificationUrl: r.notification_url,
    firstSeq: r.first_seq,
    lastSeq: r.last_seq,
    changeCount: r.change_count,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at === null ? null : Number(r.first_attempt_at),
    droppedAt: Number(r.dropped_at),
    lastError: r.last_error,
    replayedAt: r.replayed_at === null ? null : Number(r.replayed_at),
  };
}

export async function insertDeadLetter(db: Executor, d: DeadLetterRecord): Promise<void> {
  await db
    .insertInto("dead_letters")
    .values({
      id: d.id,
      tenant_id: d.tenantId,
      subscription_id: d.subscriptionId,
      notification_url: d.notificationUrl,
      first_seq: d.firstSeq,
      last_seq: d.lastSeq,
      change_count: d.changeCount,
      attempts: d.attempts,
      first_attempt_at: d.firstAttemptAt,
      dropped_at: d.droppedAt,
      last_error: d.lastError,
      replayed_at: d.replayedAt,
    })
    .execute();
}

export async function findDeadLetter(db: Executor, id: string): Promise<DeadLetterRecord | undefined> {
  const row = await db.selectFrom("dead_letters").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toDeadLetter(row);
}

/** Dead letters, newest drop first; `creatorId` keeps those of subscriptions that user made. */
export async function listDeadLetters(
  db: Executor,
  filter: { tenantId?: string; creatorId?: string; subscriptionIds?: string[]; limit: number },
): Promise<DeadLetterRecord[]> {
  let q = db.selectFrom("dead_letters").selectAll("dead_letters");
  if (filter.tenantId) q = q.where("dead_letters.tenant_id", "=", filter.tenantId);
  if (filter.creatorId) {
    q = q
      .innerJoin("subscriptions", "subscriptions.id", "dead_letters.subscription_id")
      .where("subscriptions.creator_id", "=", filter.creatorId);
  }
  if (filter.subscriptionIds) {
    if (filter.subscriptionIds.length === 0) return [];
    q = q.where("dead_letters.subscription_id", "in", filter.subscriptionIds);
  }
  const rows = await q
    .orderBy("dead_letters.dropped_at", "desc")
    .orderBy("dead_letters.id")
    .limit(filter.limit)
    .execute();
  return rows.map(toDeadLetter);
}

export async function markDeadLetterReplayed(db: Executor, id: string, now: number): Promise<void> {
  await db.updateTable("dead_letters").set({ replayed_at: now }).where("id", "=", id).execute();
}
