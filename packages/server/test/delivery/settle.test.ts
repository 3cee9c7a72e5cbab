/**
 * `dispatcher.idle()` (the test node's `settle()`): what tests lean on to check that nothing more
 * is sent. It must wait for deliveries in flight and for work due at the clock's time, and it must
 * not wait for retries the clock has not reached.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { listAttempts } from "../../src/store/repositories/attempts.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { answerAfter, answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("settle", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("waits for a delivery in flight until its outcome is recorded", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    receiver.respond("/hook", answerAfter(300));
    await fx.change();
    await receiver.nextNotification("/hook");
    await t.settle();
    const attempts = await listAttempts(t.nudge.db, { subscriptionIds: [sub.id], limit: 5 });
    expect(attempts.map((a) => a.outcome)).toEqual(["delivered"]);
  });

  it("sends what became due before it returns, and does not wait for a retry not yet due", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(500));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    await t.settle();
    expect(receiver.count("/hook")).toBe(1);
    // The retry is due at +5 minutes: settling now finds nothing due.
    await t.settle();
    expect(receiver.count("/hook")).toBe(1);
    t.clock.advance(5 * MINUTE);
    await t.settle();
    expect(receiver.count("/hook")).toBe(2);
    expect(await listAttempts(t.nudge.db, { subscriptionIds: [sub.id], limit: 5 })).toHaveLength(2);
  });
});
