/**
 * Coalescing while a receiver fails: a notification waiting for its retry is not in flight, so new
 * changes merge into it — a failing receiver has at most one waiting notification per subscription
 * (plus the one being sent), and when it is dropped its dead letter covers every change it took in.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { listAttempts, listDeadLetters } from "../../src/store/repositories/attempts.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import {
  answerNotifications,
  defaultResponder,
  isHandshake,
  TestReceiver,
  type Responder,
} from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("coalescing while a receiver fails", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  /** Once the dispatcher has settled, at least `count` attempts of the subscription are recorded. */
  async function attemptsRecorded(subscriptionId: string, count: number): Promise<void> {
    await t.settle();
    expect(
      (await listAttempts(t.nudge.db, { subscriptionIds: [subscriptionId], limit: 100 })).length,
    ).toBeGreaterThanOrEqual(count);
  }

  it("merges changes made while a notification waits for its retry into that one notification", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(500));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    await receiver.waitForNotifications(1, "/hook");
    await attemptsRecorded(sub.id, 1);

    // The notification waits for its retry at +5 minutes; these changes must join it.
    await fx.change(4);
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(1);

    receiver.respond("/hook", defaultResponder);
    t.clock.advance(5 * MINUTE);
    await receiver.waitForNotifications(2, "/hook");
    await t.settle();
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(0);
    // One retry carried all five changes: with no mark left, nothing else can be sent.
    expect(receiver.notifications("/hook")).toHaveLength(2);
    const attempts = await listAttempts(t.nudge.db, { subscriptionIds: [sub.id], limit: 10 });
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [2, "delivered"],
      [1, "failed"],
    ]);
  });

  it("keeps the waiting notification's retry schedule, and its dead letter covers every merged change", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    receiver.respond("/hook", answerNotifications(500));
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    const start = t.clock.now();
    await fx.change();
    await receiver.waitForNotifications(1, "/hook");
    await attemptsRecorded(sub.id, 1);
    for (let retry = 1; retry <= 5; retry++) {
      // Two changes before every retry: none may start a schedule of its own.
      await fx.change(2);
      expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(1);
      t.clock.set(start + retry * 5 * MINUTE);
      await receiver.waitForNotifications(retry + 1, "/hook");
      await attemptsRecorded(sub.id, retry + 1);
    }
    const [letter, ...others] = await listDeadLetters(t.nudge.db, { subscriptionIds: [sub.id], limit: 10 });
    expect(others).toEqual([]);
    expect(letter).toMatchObject({ changeCount: 11, attempts: 6, firstAttemptAt: start });
    expect(letter!.lastSeq - letter!.firstSeq).toBe(10);
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(0);
  });

  it("folds a change made during a failing delivery into the notification that then waits", async () => {
    // One delivery at a time to the URL: the second change waits while the first POST is out.
    t = await startTestNudge({ config: { delivery: { endpointConcurrency: 1 } } });
    receiver = await TestReceiver.start();
    let fail: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (fail = resolve));
    const heldThenFailed: Responder = async (request, res) => {
      if (isHandshake(request)) return defaultResponder(request, res);
      await answered;
      res.writeHead(500).end();
    };
    receiver.respond("/hook", heldThenFailed);
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    await receiver.waitForNotifications(1, "/hook");
    // In flight: this change gets a mark of its own, so it is not lost if the POST succeeds.
    await fx.change();
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(2);
    fail();
    await attemptsRecorded(sub.id, 1);
    // The POST failed: both now wait for the same retry, as one notification.
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(1);

    receiver.respond("/hook", defaultResponder);
    t.clock.advance(5 * MINUTE);
    await receiver.waitForNotifications(2, "/hook");
    await t.settle();
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(0);
    expect(receiver.notifications("/hook")).toHaveLength(2);
  });
});
