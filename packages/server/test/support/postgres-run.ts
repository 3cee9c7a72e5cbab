/**
 * Global setup of the PostgreSQL projects: makes the run's database when the run owns it (see
 * postgres-probe.ts) and drops it at the end. Each test then makes its own schema in it.
 */
import pg from "pg";
import type { PostgresPlan } from "./postgres-probe.js";

export async function setup(): Promise<() => Promise<void>> {
  const plan = JSON.parse(process.env.NUDGE_TEST_POSTGRES_PLAN ?? "{}") as PostgresPlan;
  if (!plan.run || !plan.owned) return async () => undefined;
  const { server } = plan;
  const name = new URL(plan.url).pathname.slice(1);
  await onServer(server, (client) => client.query(`create database ${name}`));
  return () => onServer(server, (client) => client.query(`drop database if exists ${name} with (force)`));
}

async function onServer(server: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
