import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("expiry", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("sends nothing for an expired subscription", async () => {
    t = await startTestNudge({ config: { delivery: { coalesceWindowMs: 0 } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    await fx.subscribe(receiver.url("/hook"));
    t.clock.advance(181 * DAY);
    await fx.change();
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    expect(await t.nudge.services.deliveries.pendingCount()).toBe(0);
  });

  it("drops a pending notification whose subscription expired before it was sent", async () => {
    t = await startTestNudge({ config: { delivery: { coalesceWindowMs: 60_000 } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    t.clock.set(sub.expiresAt + 1);
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    expect(await t.nudge.services.deliveries.pendingCount()).toBe(0);
  });

  it("keeps an expired subscription listed during the grace period, then removes it", async () => {
    t = await startTestNudge({ config: { subscriptions: { expiredGraceDays: 7 } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    const s = t.nudge.services.subscriptions;
    t.clock.set(sub.expiresAt + 6 * DAY);
    expect((await s.list(fx.alice, { resource: fx.list })).map((x) => x.id)).toEqual([sub.id]);
    expect(await s.purgeExpired()).toBe(0);
    t.clock.set(sub.expiresAt + 7 * DAY + 1);
    expect(await s.list(fx.alice, { resource: fx.list })).toEqual([]);
    expect(await s.purgeExpired()).toBe(1);
  });

  it("renewal moves the expiry and notifications flow again", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    t.clock.set(sub.expiresAt - DAY);
    const renewed = await t.nudge.services.subscriptions.update(
      fx.alice,
      sub.id,
      t.nudge.services.profiles.sharepoint,
      {
        expirationDateTime: new Date(t.clock.now() + 90 * DAY).toISOString(),
      },
    );
    expect(renewed.expiresAt).toBe(t.clock.now() + 90 * DAY);
    t.clock.advance(30 * DAY);
    await fx.change();
    await receiver.waitForNotifications(1);
  });
});
