/**
 * Kysely's SQLite dialect, with every transaction begun `IMMEDIATE`, and in the node's write turn.
 *
 * With the dispatcher in a worker thread, a node has two connections to its file: a deferred
 * transaction that reads and then writes fails at once with SQLITE_BUSY when the other connection
 * committed in between (WAL cannot move a reader's snapshot forward, and busy_timeout does not
 * apply to that case). Taking the write lock at BEGIN makes such a transaction wait instead.
 * Nudge's transactions all write, so nothing is lost by taking the lock first. And the wait is for
 * the write turn (write-turn.ts), handed over at commit, rather than in SQLite's sleeping busy
 * handler.
 */
import {
  CompiledQuery,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from "kysely";
import type { WriteTurn } from "./write-turn.js";

class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly turn: WriteTurn | undefined,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.turn?.take();
    try {
      await connection.executeQuery(CompiledQuery.raw("begin immediate"));
    } catch (error) {
      this.turn?.give();
      throw error;
    }
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.commitTransaction(connection);
    } finally {
      this.turn?.give();
    }
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      this.turn?.give();
    }
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #turn: WriteTurn | undefined;

  constructor(config: SqliteDialectConfig, turn?: WriteTurn) {
    super(config);
    this.#config = config;
    this.#turn = turn;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#turn);
  }
}
