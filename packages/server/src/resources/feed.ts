/** Reading a resource's change feed from the journal. Each surface encodes positions its own way. */
import { DAY } from "../clock.js";
import type { ServiceContext } from "../context.js";
import { NudgeError } from "../errors.js";
import {
  prunedSeq,
  pruneJournal,
  pruningHorizon,
  type PruneResult,
} from "../store/repositories/journal-pruning.js";
import {
  latestSeq,
  readChanges,
  type ChangeQuery,
  type ChangeRecord,
} from "../store/repositories/journal.js";

export type { ChangeKind, ChangeRecord, ChangeQuery } from "../store/repositories/journal.js";

export class ChangeFeed {
  constructor(private readonly ctx: ServiceContext) {}

  read(query: ChangeQuery): Promise<ChangeRecord[]> {
    return readChanges(this.ctx.db, query);
  }

  /**
   * Refuses a position the journal can no longer serve completely: after a seq that was pruned,
   * or since a time before the pruning horizon. A silently shortened feed would make a receiver
   * miss changes; 410 tells it to start again from a fresh token.
   */
  async assertServable(
    resourceId: string,
    position: { afterSeq?: number; sinceTime?: number },
  ): Promise<void> {
    const horizon = await pruningHorizon(this.ctx.db, resourceId);
    const tooOld =
      (position.afterSeq !== undefined && position.afterSeq < horizon.seq) ||
      (position.sinceTime !== undefined && horizon.seq > 0 && position.sinceTime < horizon.before);
    if (tooOld) {
      throw new NudgeError(
        "changeTokenExpired",
        "The change token refers to a time before the start of the current change log; start again from a fresh token.",
      );
    }
  }

  /**
   * The position after the newest change. When every change was pruned (a quiet resource), that is
   * the pruning cut, not 0: a token at 0 would be refused (410) as soon as it was used.
   */
  async latestSeq(resourceId: string): Promise<number> {
    return Math.max(await latestSeq(this.ctx.db, resourceId), await prunedSeq(this.ctx.db, resourceId));
  }

  /**
   * Prunes changes older than `journal.retentionDays` (of one resource, or all), so the journal
   * does not grow forever; tokens from before the cut then get 410 Gone. The runtime runs it
   * periodically; tests call it with a fake clock.
   */
  prune(resourceId?: string): Promise<PruneResult> {
    const before = this.ctx.clock.now() - this.ctx.config.journal.retentionDays * DAY;
    return this.ctx.db
      .transaction()
      .execute((trx) => pruneJournal(trx, { before, ...(resourceId && { resourceId }) }));
  }
}
