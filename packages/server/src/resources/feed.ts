/** Reading a resource's change feed from the journal. Each surface encodes positions its own way. */
import { DAY } from "../clock.js";
import type { ServiceContext } from "../context.js";
import { prunedSeq, pruneJournal, type PruneResult } from "../store/repositories/journal-pruning.js";
import {
  latestSeq,
  readChanges,
  type ChangeQuery,
  type ChangeRecord,
} from "../store/repositories/journal.js";
import { assertServable } from "./servable.js";

export type { ChangeKind, ChangeRecord, ChangeQuery } from "../store/repositories/journal.js";

export class ChangeFeed {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * One page of a resource's feed. A position the client kept (`afterSeq`, `sinceTime`) is checked
   * first: one the journal can no longer serve completely is refused with 410. Without one, the
   * page starts at the oldest change the journal still holds.
   */
  async page(query: ChangeQuery): Promise<ChangeRecord[]> {
    await assertServable(this.ctx.db, query.resourceId, query);
    return readChanges(this.ctx.db, query);
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
