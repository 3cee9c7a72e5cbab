import { afterEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { listAttempts, listDeadLetters } from "../../src/store/repositories/attempts.js";
import { findSubscription } from "../../src/store/repositories/subscriptions.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { answerNotifications, defaultResponder, TestReceiver } from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("SharePoint retry policy", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("retries a failing receiver at +5, +10, +15, +20 and +25 minutes, then drops into a dead letter", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(500));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    const start = t.clock.now();
    await fx.change();
    await receiver.waitForNotifications(1, "/hook");
    await t.settle();

    for (let retry = 1; retry <= 5; retry++) {
      // One millisecond early: nothing may be sent yet.
      t.clock.set(start + retry * 5 * MINUTE - 1);
      await t.settle();
      expect(receiver.notifications("/hook")).toHaveLength(retry);
      t.clock.set(start + retry * 5 * MINUTE);
      await receiver.waitForNotifications(retry + 1, "/hook");
      await t.settle();
    }
    const db = t.nudge.db;
    await t.settle();
    expect((await listDeadLetters(db, { limit: 10 })).length).toBe(1);
    const attempts = await listAttempts(db, { subscriptionIds: [sub.id], limit: 10 });
    expect(attempts.map((a) => (a.at - start) / MINUTE).sort((a, b) => a - b)).toEqual([
      0, 5, 10, 15, 20, 25,
    ]);
    expect(attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 500, 500, 500]);
    expect(attempts.filter((a) => a.outcome === "dropped")).toHaveLength(1);

    // Nothing more is tried after the drop.
    t.clock.advance(60 * MINUTE);
    await t.settle();
    expect(receiver.notifications("/hook")).toHaveLength(6);
  });

  it("replays a dead letter to a receiver that works again", async () => {
    t = await startTestNudge({ config: { delivery: { disableAfterDrops: 5 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(503));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"), "state-1");
    await fx.change();
    await receiver.waitForNotifications(1, "/hook");
    await t.settle();
    for (let i = 0; i < 5; i++) {
      t.clock.advance(5 * MINUTE);
      await receiver.waitForNotifications(i + 2, "/hook");
      await t.settle();
    }
    const db = t.nudge.db;
    await t.settle();
    expect((await listDeadLetters(db, { limit: 10 })).length).toBe(1);
    const [letter] = await listDeadLetters(db, { limit: 10 });

    receiver.respond("/hook", defaultResponder);
    await t.nudge.services.deliveries.replay(fx.alice, letter!.id);
    const received = await receiver.waitForNotifications(7, "/hook");
    expect(received.at(-1)!.json).toMatchObject({
      value: [{ subscriptionId: sub.id, clientState: "state-1" }],
    });
    await t.settle();
    expect(await t.nudge.services.deliveries.pendingCount()).toBe(0);
    const [replayed] = await listDeadLetters(db, { limit: 10 });
    expect(replayed!.replayedAt).toBe(t.clock.now());
  });

  it("disables a subscription whose notifications are dropped N times in a row, saying why", async () => {
    t = await startTestNudge({ config: { delivery: { disableAfterDrops: 2 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(500));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));

    for (let drop = 1; drop <= 2; drop++) {
      await fx.change();
      const before = receiver.notifications("/hook").length;
      await receiver.waitForNotifications(before + 1, "/hook");
      await t.settle();
      for (let i = 0; i < 5; i++) {
        t.clock.advance(5 * MINUTE);
        await receiver.waitForNotifications(before + i + 2, "/hook");
        await t.settle();
      }
      await t.settle();
      expect((await listDeadLetters(t.nudge.db, { limit: 10 })).length).toBe(drop);
    }
    const disabled = await findSubscription(t.nudge.db, t.nudge.services.ctx.secrets, sub.id);
    expect(disabled!.disabledAt).not.toBeNull();
    expect(disabled!.disabledReason).toContain("2 notifications in a row were dropped");
    expect(disabled!.disabledReason).toContain("HTTP 500");

    // A disabled subscription is not notified any more.
    const sent = receiver.notifications("/hook").length;
    await fx.change();
    t.clock.advance(5 * MINUTE);
    await t.settle();
    expect(receiver.notifications("/hook")).toHaveLength(sent);
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(0);
  });

  it("resets the drop count when a delivery succeeds", async () => {
    t = await startTestNudge({ config: { delivery: { disableAfterDrops: 2 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(500));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    await receiver.waitForNotifications(1, "/hook");
    await t.settle();
    for (let i = 0; i < 5; i++) {
      t.clock.advance(5 * MINUTE);
      await receiver.waitForNotifications(i + 2, "/hook");
      await t.settle();
    }
    await t.settle();
    expect((await findSubscription(t.nudge.db, t.nudge.services.ctx.secrets, sub.id))!.consecutiveDrops).toBe(
      1,
    );
    receiver.respond("/hook", defaultResponder);
    await fx.change();
    await receiver.waitForNotifications(7, "/hook");
    await t.settle();
    expect((await findSubscription(t.nudge.db, t.nudge.services.ctx.secrets, sub.id))!.consecutiveDrops).toBe(
      0,
    );
  });

  it("treats a redirect as a failure and does not follow it", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(302, { location: receiver.url("/elsewhere") }));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    await receiver.waitForNotifications(1, "/hook");
    await t.settle();
    expect((await listAttempts(t.nudge.db, { subscriptionIds: [sub.id], limit: 5 })).length).toBe(1);
    const [attempt] = await listAttempts(t.nudge.db, { subscriptionIds: [sub.id], limit: 5 });
    expect(attempt).toMatchObject({ statusCode: 302, outcome: "failed" });
    expect(receiver.notifications("/elsewhere")).toHaveLength(0);
  });
});
