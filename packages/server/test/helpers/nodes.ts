/**
 * More nodes on a test's database: a second (or third) Nudge beside the one startTestNudge made,
 * sharing its database — its schema on PostgreSQL. Several nodes on one database need PostgreSQL
 * (a SQLite file is one node's own), so tests that use this run in the PostgreSQL half only.
 */
import type { Logger } from "pino";
import type { Clock } from "../../src/clock.js";
import type { Config } from "../../src/config/defaults.js";
import { Nudge } from "../../src/nudge.js";
import { testConfig, type DeepPartial, type TestNudge } from "@nudge/test-support";

export async function joinTestNudge(
  first: TestNudge,
  options: { config?: DeepPartial<Config>; clock?: Clock; logger?: Logger } = {},
): Promise<Nudge> {
  const config = testConfig(first.dir, {
    ...options.config,
    database: { ...options.config?.database, url: first.dbPath },
  });
  const nudge = await Nudge.open({
    config,
    clock: options.clock ?? first.clock,
    ...(options.logger && { logger: options.logger }),
  });
  await nudge.start();
  return nudge;
}
