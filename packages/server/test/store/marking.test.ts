import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/store/open.js";
import { claimDueMarks, releaseClaims } from "../../src/store/repositories/claims.js";
import { insertMark, markSubscriptions } from "../../src/store/repositories/pending-marks.js";
import { sharePointList } from "../delivery/fixtures.js";
import { testDialect, startTestNudge, type TestNudge, waitFor } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";

/**
 * A change marks subscriptions while dispatchers on other connections claim and hand back marks.
 * SQLite runs one write transaction at a time, so only PostgreSQL can interleave them.
 */
describe.skipIf(testDialect !== "postgres")("marking subscriptions while marks change hands", () => {
  let t: TestNudge | undefined;
  let receiver: TestReceiver | undefined;
  const opened: Db[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.destroy();
    await t?.stop();
    await receiver?.close();
    t = receiver = undefined;
  });

  it("announces a change whose subscription's mark is handed back while the change is being marked", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const merging = await fx.subscribe(receiver.url("/merging"));
    const handedBack = await fx.subscribe(receiver.url("/handed-back"));
    // Due in an hour: the node's own dispatcher leaves these marks to the test.
    const later = t.clock.now() + 3_600_000;
    const mark = (subscriptionId: string, url: string) =>
      insertMark(t!.nudge.db, {
        subscriptionId,
        notificationUrl: url,
        firstSeq: 1,
        lastSeq: 1,
        changeCount: 1,
        now: later,
      });
    await mark(handedBack.id, handedBack.notificationUrl);
    const [sent] = await claimDueMarks(t.nudge.db, {
      secrets: t.nudge.services.ctx.secrets,
      nodeId: "node-a",
      now: later,
      leaseMs: 60_000,
      limit: 1,
      skipUrls: [],
    });
    expect(sent?.subscriptionId).toBe(handedBack.id);
    await mark(merging.id, merging.notificationUrl);

    const [dispatcher, writer] = [await openDatabase(t.dbPath), await openDatabase(t.dbPath)];
    opened.push(dispatcher, writer);
    const seq = 987_654_321;
    let marking: Promise<void> | undefined;
    // The dispatcher's transaction holds the merging subscription's mark (so the writer's merge
    // waits on it) and hands the other mark back; it commits while the writer is mid-statement.
    await dispatcher.transaction().execute(async (trx) => {
      await trx
        .selectFrom("pending_marks")
        .select("id")
        .where("subscription_id", "=", merging.id)
        .forUpdate()
        .execute();
      await releaseClaims(trx, "node-a", [sent!.id]);
      let writerPid: number | undefined;
      marking = writer.transaction().execute(async (w) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(w);
        writerPid = rows[0]!.pid;
        await markSubscriptions(w, {
          resourceId: fx.list.id,
          firstSeq: seq,
          lastSeq: seq,
          count: 1,
          now: t!.clock.now(),
          dueAt: later,
        });
      });
      await waitFor(
        async () => {
          if (writerPid === undefined) return false;
          const { rows } = await sql<{ n: number }>`
            select count(*)::int as n from pg_stat_activity
            where pid = ${writerPid} and wait_event_type = 'Lock'`.execute(t!.nudge.db);
          return rows[0]!.n > 0;
        },
        { what: "the writer waiting for the dispatcher's lock" },
      );
    });
    await marking;

    // Every subscription's marks must now cover the change: merged into its mark, or a new one.
    for (const subscription of [merging, handedBack]) {
      const marks = await t.nudge.db
        .selectFrom("pending_marks")
        .select(["last_seq"])
        .where("subscription_id", "=", subscription.id)
        .execute();
      expect(marks.map((m) => Number(m.last_seq))).toContain(seq);
    }
  });
});
