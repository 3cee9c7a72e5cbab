/**
 * A production node without an admin token works, but its admin API answers 403 adminDisabled:
 * start-up says so in one `warn` line naming the setting, so an operator does not find out later.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock.js";
import { Nudge } from "../../src/nudge.js";
import { captureLog, WARN } from "../helpers/log-lines.js";
import { freshTestDatabase, type TestDatabase, testConfig } from "@nudge/test-support";

const SECRETS_KEY = Buffer.alloc(32, 7).toString("base64");

describe("start-up without an admin token", () => {
  let nudge: Nudge | undefined;
  let database: TestDatabase | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await nudge?.stop();
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    nudge = database = dir = undefined;
  });

  async function start(options: { dev: boolean; adminToken: string | null }) {
    dir = mkdtempSync(join(tmpdir(), "nudge-admin-token-"));
    database = await freshTestDatabase(dir);
    const config = testConfig(dir, {
      server: { dev: options.dev },
      database: { url: database.url },
      // PostgreSQL in production needs a shared key.
      secrets: { key: SECRETS_KEY },
      adminToken: options.adminToken,
    });
    const log = captureLog();
    nudge = await Nudge.open({ config, clock: new FakeClock("2026-03-01T12:00:00Z"), logger: log.logger });
    await nudge.start();
    return log.lines;
  }

  it("warns in production mode, naming the setting and the consequence, and the admin API answers 403", async () => {
    const lines = await start({ dev: false, adminToken: null });
    const warnings = lines.filter((l) => l.level === WARN && /admin/i.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain("NUDGE_ADMIN_TOKEN");
    expect(warnings[0]!.msg).toContain("403 adminDisabled");
    const res = await fetch(`${nudge!.url}/admin/tenants`);
    expect(res.status).toBe(403);
  });

  it("does not warn when an admin token is configured", async () => {
    const lines = await start({ dev: false, adminToken: "an-admin-token-of-some-length" });
    expect(lines.filter((l) => /admin token/i.test(l.msg))).toEqual([]);
  });
});
