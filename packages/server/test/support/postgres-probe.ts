/**
 * Decides, before the run, whether the suite's PostgreSQL half runs, and on which database.
 *
 * - NUDGE_TEST_POSTGRES_URL: run it on this database (CI makes a fresh one and passes it).
 * - otherwise the server NUDGE_TEST_POSTGRES_SERVER (default postgres://postgres@127.0.0.1:5432/postgres)
 *   is tried for a second; if it answers, the run makes its own database there and drops it after.
 * - NUDGE_TEST_POSTGRES=off skips the half; =required makes an unreachable server an error.
 */
import pg from "pg";

export const defaultServer = "postgres://postgres@127.0.0.1:5432/postgres";

export type PostgresPlan =
  { run: true; url: string; server: string; owned: boolean } | { run: false; reason: string };

export async function planPostgres(env: NodeJS.ProcessEnv): Promise<PostgresPlan> {
  const mode = env.NUDGE_TEST_POSTGRES ?? "auto";
  if (mode === "off") return { run: false, reason: "NUDGE_TEST_POSTGRES=off" };
  const given = env.NUDGE_TEST_POSTGRES_URL;
  const server = given ?? env.NUDGE_TEST_POSTGRES_SERVER ?? defaultServer;
  const problem = await probe(server);
  if (problem) {
    const reason = `no PostgreSQL answered at ${redact(server)} (${problem})`;
    if (mode === "required" || given)
      throw new Error(`the PostgreSQL half of the tests cannot run: ${reason}`);
    return { run: false, reason };
  }
  if (given) return { run: true, url: given, server: given, owned: false };
  const url = new URL(server);
  url.pathname = `/nudge_test_${process.pid}_${Date.now().toString(36)}`;
  return { run: true, url: url.toString(), server, owned: true };
}

export function skippedNotice(reason: string): string {
  return [
    `PostgreSQL half of the tests SKIPPED: ${reason}.`,
    "  Only the SQLite half ran. To run both, start PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth),",
    "  or point NUDGE_TEST_POSTGRES_SERVER at a server where the user may create databases, e.g.",
    "  NUDGE_TEST_POSTGRES_SERVER=postgres://user:password@host:5432/postgres npm test",
  ].join("\n");
}

async function probe(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("select 1");
    return null;
  } catch (error) {
    return (error as { code?: string }).code ?? (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url;
  }
}
