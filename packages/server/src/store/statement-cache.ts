/**
 * Kysely's SQLite driver prepares every statement anew; preparing costs more than running most of
 * Nudge's queries. better-sqlite3 statements are reusable, so this wraps the database with a small
 * LRU cache of prepared statements keyed by SQL text.
 */
import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import type { SqliteDatabase as KyselySqliteDatabase } from "kysely";

export function withStatementCache(database: SqliteDatabase, size = 500): KyselySqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) {
        // Re-insert: Map keeps insertion order, so the first key is the least recently used.
        cache.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement as unknown as ReturnType<KyselySqliteDatabase["prepare"]>;
    },
  };
}
