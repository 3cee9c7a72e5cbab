/**
 * The embedded default: one SQLite file (better-sqlite3) in WAL mode, nothing to install. One node
 * only — the file is the node's own.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely } from "kysely";
import type { Database } from "./schema.js";
import { ImmediateSqliteDialect } from "./sqlite-dialect.js";
import { withStatementCache } from "./statement-cache.js";
import type { WriteTurn } from "./write-turn.js";

export interface SqliteOptions {
  /** Told when an existing file was readable by others and has been narrowed to its owner. */
  onWarning?: (message: string) => void;
  /** The node's write turn, shared with its other threads (write-turn.ts). */
  writeTurn?: WriteTurn;
}

/** The file path of a SQLite URL (`nudge.db`, `sqlite:nudge.db`, `sqlite://nudge.db`, `:memory:`). */
export function sqlitePath(url: string): string {
  return url.replace(/^sqlite:(\/\/)?/, "");
}

export function openSqlite(url: string, options: SqliteOptions = {}): Kysely<Database> {
  const path = sqlitePath(url);
  if (path !== ":memory:") {
    mkdirSync(dirname(path), { recursive: true });
    keepToOwner(path, options.onWarning);
  }
  const sqlite = new SQLite(path);
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes (the
  // WAL is fsynced at checkpoints; an OS crash may lose the last commits, a kill -9 loses none).
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // A checkpoint runs inside the commit that crosses this many WAL pages, and (synchronous NORMAL)
  // fsyncs the WAL and the file: at SQLite's default of 1000 pages the dispatcher paid one every few
  // outcome batches, about a tenth of its time (bench/README.md). 10,000 pages (40 MB of WAL at
  // most between checkpoints) makes that rare; durability is unchanged, a kill -9 loses nothing.
  sqlite.pragma("wal_autocheckpoint = 10000");
  return new Kysely<Database>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }, options.writeTurn),
  });
}

/**
 * The database holds token hashes, app secrets' hashes and every resource's journal: only its owner
 * may read it. It is made 0600 before SQLite opens it, because SQLite would make it 0644 (under the
 * usual umask) and gives its `-wal` and `-shm` files the main file's mode. A file (or WAL, SHM) left
 * wider by an older version or a copy is narrowed, and the log says so.
 */
function keepToOwner(path: string, onWarning?: (message: string) => void): void {
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (!existsSync(file)) continue;
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) === 0) continue;
    chmodSync(file, 0o600);
    onWarning?.(`${file} was readable by others (mode ${mode.toString(8)}); narrowed to 0600`);
  }
}
