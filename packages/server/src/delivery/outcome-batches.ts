/**
 * How many of the waiting outcomes go into the next transaction: up to 500, but at most 16
 * failures. A success costs a share of a few bulk statements, a failure statements of its own
 * (reschedule, fold, drop count). When hundreds of POSTs to a black hole time out in the same
 * instant, one transaction for all of them held the connection for a quarter of a second, and
 * healthy deliveries waited that long for their rounds (bench/isolation.js); between
 * transactions the event loop takes a turn.
 */
import type { SurfaceProfile } from "../policy/profile.js";
import { isDelivered } from "./decisions.js";
import type { SendResult } from "./sender.js";

export function nextBatchSize(
  waiting: ReadonlyArray<{ result: SendResult; profile: SurfaceProfile }>,
): number {
  let failures = 0;
  let size = 0;
  for (const outcome of waiting) {
    if (size === 500) break;
    if (!isDelivered(outcome.result, outcome.profile) && ++failures > 16) break;
    size++;
  }
  return Math.max(1, size);
}
