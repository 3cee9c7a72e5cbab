/** Reading a resource's change feed from the journal. Each surface encodes positions its own way. */
import { DAY } from "../clock.js";
import type { ServiceContext } from "../context.js";
import { pruneJournal, type PruneResult } from "../store/repositories/journal-pruning.js";
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

  latestSeq(resourceId: string): Promise<number> {
    return latestSeq(this.ctx.db, resourceId);
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
