/**
 * Which database a repository is talking to. Repositories hold all SQL, and the few statements
 * that differ between SQLite and PostgreSQL (row locks, scalar max) ask here.
 */
import { PostgresAdapter } from "kysely";
import type { Executor } from "./repositories/types.js";

export type DialectName = "sqlite" | "postgres";

export function dialectOf(db: Executor): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

export function isPostgres(db: Executor): boolean {
  return dialectOf(db) === "postgres";
}
