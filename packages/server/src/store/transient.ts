/**
 * Errors that say "try again": the database is restarting or unreachable, or PostgreSQL chose this
 * transaction as a deadlock or serialization victim. Anything else is a bug or bad data, and
 * retrying it would only repeat it.
 */
const transientCodes = new Set([
  // Node's socket errors (the server went away, or is not there yet).
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  // PostgreSQL: serialization failure, deadlock, shutting down, starting up, too many connections.
  "40001",
  "40P01",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  // SQLite: another process holds the write lock past busy_timeout.
  "SQLITE_BUSY",
]);

export function isTransientDatabaseError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (transientCodes.has(code) || code.startsWith("08"))) return true;
  // pg reports a connection lost mid-query, or a pool that could not connect in time, by message only.
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    error.message,
  );
}
