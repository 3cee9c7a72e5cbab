/**
 * The database a test runs on. The suite runs twice, once per dialect (vitest projects set
 * NUDGE_TEST_DIALECT): on SQLite each test gets a fresh file in its temp folder; on PostgreSQL each
 * gets a fresh schema in the run's database (NUDGE_TEST_POSTGRES_URL), reached through a URL that
 * sets `search_path`, so every connection — this process's or a child `nudge serve`'s — sees only it.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import pg from "pg";

export type TestDialect = "sqlite" | "postgres";

export const testDialect: TestDialect = process.env.NUDGE_TEST_DIALECT === "postgres" ? "postgres" : "sqlite";

export interface TestDatabase {
  /** What `database.url` (or `--db`) is set to. */
  url: string;
  /** Removes the database (the schema on PostgreSQL; the SQLite file goes with its folder). */
  drop(): Promise<void>;
}

export async function freshTestDatabase(dir: string): Promise<TestDatabase> {
  if (testDialect === "sqlite") return { url: join(dir, "nudge.db"), drop: async () => undefined };
  return freshPostgresSchema();
}

/** The run's PostgreSQL database (the vitest config makes it, or .ci/run gives it). */
export function postgresRunUrl(): string {
  const url = process.env.NUDGE_TEST_POSTGRES_URL;
  if (!url)
    throw new Error("NUDGE_TEST_POSTGRES_URL is not set: run the suite through vitest's postgres project");
  return url;
}

/** A URL of the run's database whose connections use only `schema`. */
export function schemaUrl(schema: string): string {
  const url = new URL(postgresRunUrl());
  url.searchParams.set("options", `-c search_path=${schema}`);
  return url.toString();
}

export async function freshPostgresSchema(): Promise<TestDatabase> {
  const schema = `t_${randomBytes(6).toString("hex")}`;
  await onRunDatabase((client) => client.query(`create schema ${schema}`));
  return {
    url: schemaUrl(schema),
    drop: () => onRunDatabase((client) => client.query(`drop schema if exists ${schema} cascade`)),
  };
}

async function onRunDatabase(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: postgresRunUrl() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
