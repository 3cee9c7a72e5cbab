import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/store/open.js";
import { appendChanges, readChanges } from "../../src/store/repositories/journal.js";
import type { Executor } from "../../src/store/repositories/types.js";
import { sharePointList } from "../delivery/fixtures.js";
import { testDialect, startTestNudge, type TestNudge, waitFor } from "@nudge/test-support";

describe("journal order", () => {
  let t: TestNudge | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  const change = (resourceId: string, itemKey: string) => ({
    resourceId,
    itemKey,
    kind: "update" as const,
    at: 0,
    actorId: null,
  });

  it("never lets a reader see a resource's later change while an earlier one is uncommitted", async () => {
    t = await startTestNudge();
    const { list } = await sharePointList(t);
    const db = t.nudge.db;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstSeq = 0;
    const appended = deferred();
    // The first writer takes its sequence number and keeps its transaction open.
    const first = db.transaction().execute(async (trx) => {
      firstSeq = (await appendChanges(trx, [change(list.id, "1")]))[0]!;
      appended.resolve();
      await held;
    });
    await appended.promise;
    // The second writer commits as soon as the database lets it.
    let secondCommitted = false;
    let secondPid: number | undefined;
    const second = db
      .transaction()
      .execute(async (trx) => {
        if (testDialect === "postgres") secondPid = await backendPid(trx);
        return appendChanges(trx, [change(list.id, "2")]);
      })
      .then((seqs) => {
        secondCommitted = true;
        return seqs[0]!;
      });
    // On PostgreSQL, wait until the second writer has either committed (wrong) or is waiting for a
    // lock: the server's own state, with no event to wait on. Embedded SQLite has one connection,
    // so the second transaction cannot even begin while the first is open.
    if (testDialect === "postgres") {
      await waitFor(async () => secondCommitted || (await waitsForLock(db, secondPid)), {
        what: "the second writer to commit or wait for a lock",
      });
    }
    // A feed read now (on a connection of its own, as another request or node would) must not show
    // the second change without the first: a reader keeping the second's seq as its token would
    // never see the first.
    const reader = await openDatabase(t.dbPath);
    try {
      const visible = await readChanges(reader, { resourceId: list.id });
      expect(visible.map((c) => c.itemKey)).not.toContain("2");
    } finally {
      await reader.destroy();
    }
    expect(secondCommitted).toBe(false);
    release();
    await first;
    const secondSeq = await second;
    expect(secondSeq).toBeGreaterThan(firstSeq);
    const all = await readChanges(db, { resourceId: list.id });
    expect(all.map((c) => c.itemKey)).toEqual(["1", "2"]);
  });

  // SQLite has one writer at a time: there a second write always waits.
  it.skipIf(testDialect !== "postgres")(
    "lets writers of different resources commit without waiting for each other",
    async () => {
      t = await startTestNudge();
      const a = await sharePointList(t, "A");
      const b = await sharePointList(t, "B");
      const db = t.nudge.db;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const appended = deferred();
      const first = db.transaction().execute(async (trx) => {
        await appendChanges(trx, [change(a.list.id, "1")]);
        appended.resolve();
        await held;
      });
      await appended.promise;
      try {
        const [seq] = await db.transaction().execute((trx) => appendChanges(trx, [change(b.list.id, "1")]));
        expect(seq).toBeGreaterThan(0);
        expect((await readChanges(db, { resourceId: b.list.id })).length).toBe(1);
      } finally {
        release();
        await first;
      }
    },
  );
});

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

async function backendPid(db: Executor): Promise<number> {
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
  return rows[0]!.pid;
}

/** Whether the PostgreSQL backend `pid` is blocked on a lock. */
async function waitsForLock(db: Db, pid: number | undefined): Promise<boolean> {
  if (pid === undefined) return false;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity where pid = ${pid} and wait_event_type = 'Lock'`.execute(
    db,
  );
  return rows[0]!.n > 0;
}
