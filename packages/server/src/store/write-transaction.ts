/**
 * A transaction that reads and then writes. SQLite's default transaction takes the write lock only
 * at its first write: if another connection committed after this one read, the write fails at once
 * with SQLITE_BUSY (WAL cannot move a reader's snapshot forward, and busy_timeout does not apply).
 * `BEGIN IMMEDIATE` takes the write lock first and waits for it under busy_timeout instead.
 * PostgreSQL needs nothing special: its row locks (FOR UPDATE) serve the same end.
 */
import { sql } from "kysely";
import { isPostgres } from "./dialect.js";
import type { Executor } from "./repositories/types.js";

/** SQLite connections inside `BEGIN IMMEDIATE` (Kysely does not know them as transactions). */
const writing = new WeakSet<Executor>();

/** Runs `work` in a write transaction, or in the one `db` already is. */
export async function inWriteTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction || writing.has(db)) return work(db);
  if (isPostgres(db)) return db.transaction().execute(work);
  return db.connection().execute(async (connection) => {
    await sql`begin immediate`.execute(connection);
    writing.add(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    } finally {
      writing.delete(connection);
    }
  });
}
