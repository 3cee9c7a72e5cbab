import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/open.js";
import { listAttempts } from "../../src/store/repositories/attempts.js";
import { countMarks } from "../../src/store/repositories/pending-marks.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { answerAfter, TestReceiver } from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("graceful stop", () => {
  let t: TestNudge | undefined;
  let receiver: TestReceiver;
  // The test stops its node itself: what is left to clean up is the receiver, the database and the folder.
  afterEach(async () => {
    await receiver?.close();
    await t?.remove();
    t = undefined;
  });

  it("lets an in-flight delivery finish and records it before the database closes", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/slow"));
    // The receiver answers 400 ms after the notification arrives: the stop begins while it is out.
    receiver.respond("/slow", answerAfter(400));
    await fx.change();
    await receiver.waitForNotifications(1);
    await t.nudge.stop();

    const db = await openDatabase(t.dbPath);
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
