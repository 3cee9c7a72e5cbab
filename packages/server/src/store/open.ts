/**
 * Opens the database a config names and brings its schema up to date: a SQLite file (the embedded
 * default, one node) or, for a `postgres://` URL, PostgreSQL (several nodes on one database). The
 * same repositories run on both; each dialect has its own migration set.
 */
import { Migrator, sql, type Kysely, type Migration } from "kysely";
import { postgresMigrations } from "./migrations/postgres/index.js";
import { sqliteMigrations } from "./migrations/sqlite/index.js";
import { isPostgresUrl, openPostgres } from "./postgres.js";
import type { Database } from "./schema.js";
import { openSqlite } from "./sqlite.js";
import type { WriteTurn } from "./write-turn.js";

export type Db = Kysely<Database>;

export interface OpenOptions {
  /** PostgreSQL: most connections this node holds open. */
  poolSize?: number;
  /** PostgreSQL: told about errors of idle connections (the server restarted). */
  onIdleError?: (error: Error) => void;
  /** SQLite: told when the database file had to be narrowed to its owner (mode 0600). */
  onWarning?: (message: string) => void;
  /**
   * False for a second connection of a node whose first already brought the schema up to date
   * (the delivery thread's): it must not race that migration or redo it.
   */
  migrate?: boolean;
  /** SQLite: the node's write turn, shared by its threads' connections (write-turn.ts). */
  writeTurn?: WriteTurn;
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  if (isPostgresUrl(url)) {
    const db = openPostgres(url, {
      poolSize: options.poolSize ?? 10,
      ...(options.onIdleError && { onIdleError: options.onIdleError }),
    });
    // Nodes starting together all migrate: Kysely's migrator holds an advisory lock on PostgreSQL,
    // so one runs the migrations and the others find them done.
    // Kysely looks for its migration tables in every schema unless told which: name the one this
    // connection uses (search_path), so two Nudges in two schemas of one database never mix them up.
    const migrations = async () => {
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
      await migrate(db, postgresMigrations, rows[0]?.schema);
    };
    if (options.migrate === false) return db;
    await migrations().catch(async (error: unknown) => {
      await db.destroy();
      throw error;
    });
    return db;
  }
  const db = openSqlite(url, {
    ...(options.onWarning && { onWarning: options.onWarning }),
    ...(options.writeTurn && { writeTurn: options.writeTurn }),
  });
  if (options.migrate !== false) await migrate(db, sqliteMigrations);
  return db;
}

async function migrate(db: Db, migrations: Record<string, Migration>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema && { migrationTableSchema: schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`);
  }
}
