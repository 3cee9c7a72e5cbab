/**
 * The embedded default: one SQLite file (better-sqlite3) in WAL mode, nothing to install. One node
 * only — the file is the node's own.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./schema.js";
import { withStatementCache } from "./statement-cache.js";

/** The file path of a SQLite URL (`nudge.db`, `sqlite:nudge.db`, `sqlite://nudge.db`, `:memory:`). */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, "");
}

export function openSqlite(url: string): Kysely<Database> {
  const path = sqlitePath(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes (the
  // WAL is fsynced at checkpoints; an OS crash may lose the last commits, a kill -9 loses none).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}
