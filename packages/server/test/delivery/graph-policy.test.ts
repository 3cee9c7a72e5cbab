import { afterEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { listAttempts, listDeadLetters } from "../../src/store/repositories/attempts.js";
import { findSubscription } from "../../src/store/repositories/subscriptions.js";
import { startTestNudge, waitFor, type TestNudge } from "@nudge/test-support";
import { answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { journalChanges } from "../helpers/journal.js";

async function driveWithGraphSubscription(t: TestNudge, receiver: TestReceiver, expirationDateTime?: string) {
  const s = t.nudge.services;
  const alice = await s.identity.authenticate(t.demo.users.alice.token);
  const drive = await s.resources.create(alice, { kind: "drive", title: "OneDrive" });
  const subscription = await s.subscriptions.create(alice, drive, s.profiles.graph, {
    notificationUrl: receiver.url("/graph"),
    lifecycleNotificationUrl: receiver.url("/lifecycle"),
    clientState: "graph-state",
    resourcePath: "/me/drive/root",
    expirationDateTime,
  });
  return {
    alice,
    subscription,
    change: () => journalChanges(s, drive, [{ item: "file-1", kind: "update" }], alice.userId),
  };
}

/** The attempts at the notification URL (lifecycle events are recorded under the same subscription), oldest first. */
async function notificationAttempts(t: TestNudge, subscriptionId: string, url: string) {
  return (await listAttempts(t.nudge.db, { subscriptionIds: [subscriptionId], limit: 20 }))
    .filter((a) => a.notificationUrl === url)
    .sort((a, b) => a.at - b.at);
}

/**
 * Waits until `n` attempts are recorded. The clock may move only then: a jump past the lease while
 * a delivery is still being recorded would look like a lost claim (an `unknown` attempt).
 */
function attemptsRecorded(t: TestNudge, subscriptionId: string, url: string, n: number): Promise<void> {
  return waitFor(async () => (await notificationAttempts(t, subscriptionId, url)).length >= n, {
    what: `attempt ${n} recorded`,
  });
}

type Lifecycle = { value: Array<{ lifecycleEvent: string; subscriptionId: string; clientState: string }> };

describe("OneDrive (Graph) delivery policy", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("backs off exponentially and makes no attempt after 15 minutes, then tells the lifecycle URL", async () => {
    t = await startTestNudge({ config: { delivery: { disableAfterDrops: 5 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/graph", answerNotifications(500));
    const fx = await driveWithGraphSubscription(t, receiver);
    expect(receiver.handshakes("/graph")[0]!.query.has("validationToken")).toBe(true);
    expect(receiver.handshakes("/lifecycle")).toHaveLength(1);
    const start = t.clock.now();
    await fx.change();
    await receiver.waitForNotifications(1, "/graph");
    await t.settle();
    for (const [n, minute] of [1, 3, 7, 15].entries()) {
      t.clock.set(start + minute * MINUTE);
      await receiver.waitForNotifications(n + 2, "/graph");
      await t.settle();
    }
    await t.settle();
    expect((await listDeadLetters(t.nudge.db, { limit: 5 })).length).toBe(1);
    // Only the notification URL's attempts: the lifecycle event is recorded under the same subscription.
    const attempts = (
      await listAttempts(t.nudge.db, { subscriptionIds: [fx.subscription.id], limit: 10 })
    ).filter((a) => a.notificationUrl === receiver.url("/graph"));
    expect(attempts.map((a) => (a.at - start) / MINUTE).sort((a, b) => a - b)).toEqual([0, 1, 3, 7, 15]);
    t.clock.set(start + 60 * MINUTE);
    await t.settle();
    expect(receiver.notifications("/graph")).toHaveLength(5);

    const [missed] = await receiver.waitForNotifications(1, "/lifecycle");
    expect((missed!.json as Lifecycle).value).toEqual([
      {
        subscriptionId: fx.subscription.id,
        subscriptionExpirationDateTime: new Date(fx.subscription.expiresAt).toISOString(),
        tenantId: fx.alice.tenantId,
        clientState: "graph-state",
        lifecycleEvent: "missed",
      },
    ]);
  });

  it("makes the last attempt at the 15-minute deadline when each attempt takes real time", async () => {
    t = await startTestNudge({ config: { delivery: { disableAfterDrops: 5 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/graph", answerNotifications(500));
    const fx = await driveWithGraphSubscription(t, receiver);
    const url = receiver.url("/graph");
    const recorded = (n: number) => attemptsRecorded(t, fx.subscription.id, url, n);
    const start = t.clock.now();
    let wall = performance.now();
    await fx.change();
    await recorded(1);
    // A real dispatcher sends a little after a retry is due, and the POST takes time: the fake
    // clock moves by each delay plus the real time the last attempt took.
    const expected = [0];
    for (const [n, delay] of [1, 2, 4].entries()) {
      const lag = Math.max(1, Math.ceil(performance.now() - wall));
      wall = performance.now();
      t.clock.advance(delay * MINUTE + lag);
      expected.push(t.clock.now() - start);
      await recorded(n + 2);
    }
    // 7 minutes and some milliseconds in, 8 more minutes would be past the deadline: the last
    // attempt is due at the deadline itself.
    t.clock.set(start + 15 * MINUTE);
    expected.push(15 * MINUTE);
    await recorded(5);
    await waitFor(async () => (await listDeadLetters(t.nudge.db, { limit: 5 })).length === 1, {
      what: "a dead letter",
    });
    const attempts = await notificationAttempts(t, fx.subscription.id, url);
    expect(attempts.map((a) => a.at - start)).toEqual(expected);
    expect(attempts.map((a) => a.outcome)).toEqual(["failed", "failed", "failed", "failed", "dropped"]);
    expect(expected.map((ms) => Math.floor(ms / MINUTE))).toEqual([0, 1, 3, 7, 15]);
  });

  it("sends the Graph driveItem notification shape", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await driveWithGraphSubscription(t, receiver);
    await fx.change();
    const [post] = await receiver.waitForNotifications(1, "/graph");
    expect(post!.json).toEqual({
      value: [
        {
          subscriptionId: fx.subscription.id,
          expirationDateTime: new Date(fx.subscription.expiresAt).toISOString(),
          resource: "/me/drive/root",
          clientState: "graph-state",
        },
      ],
    });
  });

  it("removes a subscription that keeps failing and sends subscriptionRemoved", async () => {
    t = await startTestNudge({ config: { delivery: { disableAfterDrops: 1 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/graph", answerNotifications(503));
    const fx = await driveWithGraphSubscription(t, receiver);
    const start = t.clock.now();
    await fx.change();
    await receiver.waitForNotifications(1, "/graph");
    await t.settle();
    for (const [n, minute] of [1, 3, 7, 15].entries()) {
      t.clock.set(start + minute * MINUTE);
      await receiver.waitForNotifications(n + 2, "/graph");
      await t.settle();
    }
    await t.settle();
    expect(await findSubscription(t.nudge.db, t.nudge.services.ctx.secrets, fx.subscription.id)).toBe(
      undefined,
    );
    const events = () =>
      receiver
        .notifications("/lifecycle")
        .flatMap((e) => (e.json as Lifecycle).value.map((v) => v.lifecycleEvent));
    await t.settle();
    expect(events().length).toBe(2);
    expect(events().sort()).toEqual(["missed", "subscriptionRemoved"]);
  });

  it("warns reauthorizationRequired once before expiry, and again after a renewal", async () => {
    t = await startTestNudge({ config: { surfaces: { graph: { reauthorizationLeadMinutes: 60 } } } });
    receiver = await TestReceiver.start();
    const expiry = new Date(t.clock.now() + 24 * 60 * MINUTE).toISOString();
    const fx = await driveWithGraphSubscription(t, receiver, expiry);
    t.clock.set(fx.subscription.expiresAt - 61 * MINUTE);
    await t.settle();
    expect(receiver.notifications("/lifecycle")).toHaveLength(0);
    t.clock.set(fx.subscription.expiresAt - 59 * MINUTE);
    const [warning] = await receiver.waitForNotifications(1, "/lifecycle");
    await t.settle();
    expect((warning!.json as Lifecycle).value[0]!.lifecycleEvent).toBe("reauthorizationRequired");
    t.clock.advance(MINUTE);
    await t.settle();
    expect(receiver.notifications("/lifecycle")).toHaveLength(1);

    const s = t.nudge.services;
    const renewed = await s.subscriptions.update(fx.alice, fx.subscription.id, s.profiles.graph, {
      expirationDateTime: new Date(t.clock.now() + 120 * MINUTE).toISOString(),
    });
    t.clock.set(renewed.expiresAt - 30 * MINUTE);
    await receiver.waitForNotifications(2, "/lifecycle");
  });
});
