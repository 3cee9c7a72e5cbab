/**
 * The SQLite file holds token hashes and every journal: only its owner may read it, and its -wal
 * and -shm files too (SQLite gives them the main file's mode). The key file beside it as well.
 */
import { chmodSync, closeSync, mkdtempSync, openSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { captureLog, WARN } from "../helpers/log-lines.js";
import { sharePointList } from "../delivery/fixtures.js";
import { testDialect, startTestNudge, type TestNudge } from "@nudge/test-support";

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(testDialect !== "sqlite")("the SQLite database file", () => {
  let t: TestNudge | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await t?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    t = dir = undefined;
  });

  it("is created 0600, and so are its WAL, SHM and key files", async () => {
    const previous = process.umask(0o022);
    try {
      t = await startTestNudge();
      // A write, so the WAL and the shared-memory index exist.
      await (await sharePointList(t)).change();
    } finally {
      process.umask(previous);
    }
    const db = t.dbPath;
    for (const file of [db, `${db}-wal`, `${db}-shm`, `${db}.key`]) {
      expect(modeOf(file).toString(8), file).toBe("600");
    }
  });

  it("narrows an existing file readable by others to 0600, and says so in the log", async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-file-mode-"));
    const db = join(dir, "nudge.db");
    closeSync(openSync(db, "w", 0o644));
    chmodSync(db, 0o644);
    const log = captureLog();
    t = await startTestNudge({ dir, logger: log.logger });
    await sql`select 1`.execute(t.nudge.db);
    expect(modeOf(db).toString(8)).toBe("600");
    expect(modeOf(`${db}-wal`).toString(8)).toBe("600");
    const warnings = log.lines.filter((l) => l.level === WARN && l.msg.includes(db));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain("0600");
  });
});
