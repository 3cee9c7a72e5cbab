/**
 * A transaction that reads and then writes. SQLite's default transaction takes the write lock only
 * at its first write: if another connection committed after this one read, the write fails at once
 * with SQLITE_BUSY (WAL cannot move a reader's snapshot forward, and busy_timeout does not apply).
 * Nudge's SQLite dialect begins every transaction `IMMEDIATE` (sqlite-dialect.ts), which takes the
 * write lock first and waits for it instead. PostgreSQL needs nothing special: its row locks
 * (FOR UPDATE) serve the same end.
 */
import type { Executor } from "./repositories/types.js";

/** Runs `work` in a write transaction, or in the one `db` already is. */
export async function inWriteTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute(work);
}
