/**
 * Starts a real Nudge node for a test: a fresh database (a SQLite file in a temp folder, or a fresh
 * PostgreSQL schema when the suite runs in its PostgreSQL half, see database.ts), port 0 on
 * loopback, dev-mode demo users (alice and bob, with tokens), a fake clock unless told otherwise.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { defaultConfig, FakeClock, Nudge, validateConfig, type Clock, type Config } from "@nudge/server";
import { freshTestDatabase } from "./database.js";

type DemoCredentials = NonNullable<Nudge["demo"]>;

export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K];
};

export interface TestNudge {
  nudge: Nudge;
  url: string;
  clock: FakeClock;
  demo: DemoCredentials;
  /** Authorization headers for the demo users. */
  auth: { alice: Record<string, string>; bob: Record<string, string> };
  adminToken: string;
  dir: string;
  /** The database URL (a SQLite file path, or a PostgreSQL URL). */
  dbPath: string;
  /**
   * Resolves once the dispatcher has finished all work due at the clock's current time (nothing due,
   * nothing in flight). "Nothing more arrived" is then `await t.settle()` and a count: it cannot pass
   * by accident on a slow machine, as a wait of N ms could.
   */
  settle(): Promise<void>;
  /** Stops the node, then removes what `startTestNudge` made (see `remove`). */
  stop(): Promise<void>;
  /**
   * Drops the test's database and deletes its temp folder (unless the test gave the folder): for a
   * test that stops the node itself, e.g. to check what a graceful stop leaves behind.
   */
  remove(): Promise<void>;
}

export const TEST_ADMIN_TOKEN = "test-admin-token-0123456789";

export function testConfig(dir: string, overrides: DeepPartial<Config> = {}): Config {
  const base: Config = structuredClone(defaultConfig);
  base.server = { ...base.server, port: 0, host: "127.0.0.1", dev: true };
  base.database = { ...base.database, url: join(dir, "nudge.db"), poolSize: 4 };
  base.adminToken = TEST_ADMIN_TOKEN;
  base.log = { level: "silent" };
  base.delivery = { ...base.delivery, pollIntervalMs: 20, coalesceWindowMs: 0 };
  return validateConfig(merge(base, overrides)) as Config;
}

export async function startTestNudge(
  options: { config?: DeepPartial<Config>; clock?: Clock; dir?: string; logger?: Logger } = {},
): Promise<TestNudge> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "nudge-test-"));
  const database = await freshTestDatabase(dir);
  const config = testConfig(dir, merge({ database: { url: database.url } }, options.config ?? {}));
  const clock = (options.clock ?? new FakeClock("2026-03-01T12:00:00Z")) as FakeClock;
  let nudge: Nudge;
  try {
    nudge = await Nudge.open({ config, clock, ...(options.logger && { logger: options.logger }) });
    await nudge.start();
  } catch (error) {
    await database.drop();
    throw error;
  }
  const demo = nudge.demo!;
  const remove = async (): Promise<void> => {
    await database.drop();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  return {
    nudge,
    url: nudge.url,
    clock,
    demo,
    auth: {
      alice: { authorization: `Bearer ${demo.users.alice.token}` },
      bob: { authorization: `Bearer ${demo.users.bob.token}` },
    },
    adminToken: TEST_ADMIN_TOKEN,
    dir,
    dbPath: config.database.url,
    settle: () => nudge.dispatcher.idle(),
    async stop() {
      await nudge.stop();
      await remove();
    },
    remove,
  };
}

function merge<T>(base: T, patch: unknown): T {
  if (patch === null) return null as T;
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) return (patch ?? base) as T;
  const out = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) out[key] = merge(out[key], value);
  }
  return out as T;
}
