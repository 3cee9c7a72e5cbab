/** Reading a resource's change feed from the journal. Each surface encodes positions its own way. */
import type { ServiceContext } from "../context.js";
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
}
