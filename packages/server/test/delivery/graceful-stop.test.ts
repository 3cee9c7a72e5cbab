import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/open.js";
import { listAttempts } from "../../src/store/repositories/attempts.js";
import { countMarks } from "../../src/store/repositories/pending-marks.js";
import { startTestNudge, type TestNudge } from "../helpers/nudge.js";
import { isHandshake, defaultResponder, TestReceiver } from "../helpers/receiver.js";
import { sleep } from "../helpers/wait.js";
import { sharePointList } from "./fixtures.js";

describe("graceful stop", () => {
  let t: TestNudge | undefined;
  let receiver: TestReceiver;
  afterEach(async () => {
    await receiver?.close();
  });

  it("lets an in-flight delivery finish and records it before the database closes", async () => {
    t = await startTestNudge({ dir: undefined });
    receiver = await TestReceiver.start();
    receiver.respond("/slow", async (request, res) => {
      if (isHandshake(request)) return defaultResponder(request, res);
      await sleep(400);
      res.writeHead(200);
      res.end();
    });
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/slow"));
    await fx.change();
    await receiver.waitForNotifications(1);
    const dbPath = t.dbPath;
    const { nudge } = t;
    t = undefined;
    await nudge.stop();

    const db = await openDatabase(dbPath);
    try {
      const attempts = await listAttempts(db, { subscriptionIds: [sub.id], limit: 5 });
      expect(attempts).toHaveLength(1);
      expect(attempts[0]).toMatchObject({ outcome: "delivered", statusCode: 200 });
      expect(await countMarks(db)).toBe(0);
    } finally {
      await db.destroy();
    }
  });
});
