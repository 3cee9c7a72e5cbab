/**
 * Writing to the journal. Every write that changes a resource calls `recordChanges` inside its own
 * transaction, so the item, its journal entries and the pending marks of every subscription that
 * covers the resource commit together (the transactional outbox).
 */
import type { Executor } from "../store/repositories/types.js";
import { appendChanges, type NewChange } from "../store/repositories/journal.js";
import { markSubscriptions } from "../store/repositories/pending-marks.js";

export interface RecordOptions {
  now: number;
  coalesceWindowMs: number;
}

/** Appends the changes (all of one resource) and marks the subscriptions. Returns their sequence numbers. */
export async function recordChanges(
  trx: Executor,
  changes: NewChange[],
  options: RecordOptions,
): Promise<number[]> {
  if (changes.length === 0) return [];
  const seqs = await appendChanges(trx, changes);
  await markSubscriptions(trx, {
    resourceId: changes[0]!.resourceId,
    firstSeq: seqs[0]!,
    lastSeq: seqs.at(-1)!,
    count: seqs.length,
    now: options.now,
    dueAt: options.now + options.coalesceWindowMs,
  });
  return seqs;
}
