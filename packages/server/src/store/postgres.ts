/**
 * PostgreSQL, for several nodes sharing one database. A pg Pool per node: a connection that breaks
 * (the server restarted, the network dropped) is thrown away and the next query opens a new one,
 * so a node that loses the database goes on once it is back.
 */
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema.js";

export interface PostgresOptions {
  /** Most connections this node holds open. */
  poolSize: number;
  /** Told about connections that broke (a restart of the server ends them all). */
  onIdleError?: (error: Error) => void;
}

/**
 * int8 (bigint) comes back from pg as a string, because it can exceed 2^53. Nudge's int8 columns
 * are times in milliseconds, sequence numbers, ids and counts, all far below 2^53: numbers.
 */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

export function openPostgres(url: string, options: PostgresOptions): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    types,
    // A database that does not answer must not hang a request or a dispatcher round for ever.
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // Without listeners a connection's error (the server restarting) would end the process: the pool
  // reports idle connections' errors, and each connection reports its own while it is checked out
  // (between the queries of a transaction). Its queries fail, and the pool drops it when released.
  pool.on("error", (error) => options.onIdleError?.(error));
  pool.on("connect", (client) => client.on("error", (error) => options.onIdleError?.(error)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The URL with any password replaced, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
