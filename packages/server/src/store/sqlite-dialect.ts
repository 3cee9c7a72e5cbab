/**
 * Kysely's SQLite dialect, with every transaction begun `IMMEDIATE`. With the dispatcher in a
 * worker thread, a node has two connections to its file: a deferred transaction that reads and
 * then writes fails at once with SQLITE_BUSY when the other connection committed in between (WAL
 * cannot move a reader's snapshot forward, and busy_timeout does not apply to that case). Taking
 * the write lock at BEGIN makes such a transaction wait under busy_timeout instead. Nudge's
 * transactions all write, so nothing is lost by taking the lock first.
 */
import { CompiledQuery, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver } from "kysely";

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: ConstructorParameters<typeof SqliteDialect>[0];

  constructor(config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}
