/**
 * Whether the journal can still serve a feed from a position a client kept. A silently shortened
 * feed would make a receiver miss changes; 410 (`changeTokenExpired`) tells it to start again from
 * a fresh token. Every change feed (native, SharePoint, drive delta) asks this one rule.
 */
import { NudgeError } from "../errors.js";
import { pruningHorizon } from "../store/repositories/journal-pruning.js";
import type { Executor } from "../store/repositories/types.js";

export interface FeedPosition {
  /** After this change number (a sequence token). */
  afterSeq?: number;
  /** Since this time (SharePoint's `-1` tokens). */
  sinceTime?: number;
}

export async function assertServable(
  db: Executor,
  resourceId: string,
  position: FeedPosition,
  message = "The change token refers to a time before the start of the current change log; start again from a fresh token.",
): Promise<void> {
  if (position.afterSeq === undefined && position.sinceTime === undefined) return;
  const horizon = await pruningHorizon(db, resourceId);
  const tooOld =
    (position.afterSeq !== undefined && position.afterSeq < horizon.seq) ||
    (position.sinceTime !== undefined && horizon.seq > 0 && position.sinceTime < horizon.before);
  if (tooOld) throw new NudgeError("changeTokenExpired", message);
}
