import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/open.js";
import { appendChanges, readChanges } from "../../src/store/repositories/journal.js";
import { sharePointList } from "../delivery/fixtures.js";
import { testDialect } from "../helpers/database.js";
import { startTestNudge, type TestNudge } from "../helpers/nudge.js";
import { sleep } from "../helpers/wait.js";

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
    // The first writer takes its sequence number and keeps its transaction open.
    const first = db.transaction().execute(async (trx) => {
      firstSeq = (await appendChanges(trx, [change(list.id, "1")]))[0]!;
      await held;
    });
    await waitForSeq(() => firstSeq);
    // The second writer commits as soon as the database lets it.
    let secondCommitted = false;
    const second = db
      .transaction()
      .execute((trx) => appendChanges(trx, [change(list.id, "2")]))
      .then((seqs) => {
        secondCommitted = true;
        return seqs[0]!;
      });
    await sleep(300);
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
      let started = false;
      const first = db.transaction().execute(async (trx) => {
        await appendChanges(trx, [change(a.list.id, "1")]);
        started = true;
        await held;
      });
      await waitForSeq(() => (started ? 1 : 0));
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

async function waitForSeq(read: () => number): Promise<void> {
  for (let i = 0; i < 200 && read() === 0; i++) await sleep(5);
  if (read() === 0) throw new Error("the first writer never got its sequence number");
}
