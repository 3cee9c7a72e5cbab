import { afterEach, describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../src/clock.js";
import { listAttempts } from "../../src/store/repositories/attempts.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { journalChanges } from "../helpers/journal.js";

async function oneNoteSetup(t: TestNudge, receiver: TestReceiver) {
  const s = t.nudge.services;
  const alice = await s.identity.authenticate(t.demo.users.alice.token);
  const bob = await s.identity.authenticate(t.demo.users.bob.token);
  await s.registrations.setAppWebhook(alice.tenantId, alice.appId, { webhookUrl: receiver.url("/onenote") });
  const notes = await s.resources.create(alice, { kind: "notebook", title: "Alice's notebooks" });
  const bobsNotes = await s.resources.create(bob, { kind: "notebook", title: "Bob's notebooks" });
  return {
    alice,
    bob,
    notes,
    bobsNotes,
    touch: (who: typeof alice, resource: typeof notes) =>
      s.registrations.touch(who, s.profiles.onenote, resource),
    change: (resource: typeof notes, actor: string) =>
      journalChanges(s, resource, [{ item: "page-1", kind: "update" }], actor),
  };
}

describe("app-level registrations (OneNote)", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("notifies the owner's app with the owner's id, whoever made the change", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await oneNoteSetup(t, receiver);
    await fx.touch(fx.alice, fx.notes);
    await fx.change(fx.notes, fx.bob.userId);
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    expect(post!.json).toEqual({ value: [{ subscriptionId: t.demo.app.clientId, userId: fx.alice.userId }] });
    expect(receiver.handshakes()).toHaveLength(0);
  });

  it("registers a user once even when first calls race, so each change is announced once", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await oneNoteSetup(t, receiver);
    await Promise.all(Array.from({ length: 16 }, () => fx.touch(fx.alice, fx.notes)));
    const registrations = (
      await t.nudge.services.subscriptions.list(fx.alice, { resource: fx.notes })
    ).filter((s) => s.registration === "app-level");
    expect(registrations).toHaveLength(1);
    await fx.change(fx.notes, fx.bob.userId);
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    expect((post!.json as { value: unknown[] }).value).toHaveLength(1);
    await t.settle();
    expect(receiver.notifications("/onenote")).toHaveLength(1);
  });

  it("does not notify an app whose user changed someone else's notebook", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await oneNoteSetup(t, receiver);
    await fx.touch(fx.alice, fx.notes);
    await fx.change(fx.bobsNotes, fx.alice.userId);
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
  });

  it("forgets a user idle for six months and a day; any call registers them again", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await oneNoteSetup(t, receiver);
    await fx.touch(fx.alice, fx.notes);
    t.clock.advance(182 * DAY + DAY);
    await fx.change(fx.notes, fx.bob.userId);
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    await fx.touch(fx.alice, fx.notes);
    await fx.change(fx.notes, fx.bob.userId);
    await receiver.waitForNotifications(1, "/onenote");
  });

  it("keeps a user who was active yesterday", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await oneNoteSetup(t, receiver);
    await fx.touch(fx.alice, fx.notes);
    t.clock.advance(170 * DAY);
    await fx.touch(fx.alice, fx.notes);
    t.clock.advance(170 * DAY);
    await fx.change(fx.notes, fx.alice.userId);
    await receiver.waitForNotifications(1, "/onenote");
  });

  it.each([201, 301, 302])("counts a %i answer as a failure and retries", async (status) => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    receiver.respond("/onenote", answerNotifications(status, { location: receiver.url("/elsewhere") }));
    const fx = await oneNoteSetup(t, receiver);
    await fx.touch(fx.alice, fx.notes);
    await fx.change(fx.notes, fx.alice.userId);
    await receiver.waitForNotifications(1, "/onenote");
    await t.settle();
    expect((await listAttempts(t.nudge.db, { limit: 5 })).length).toBe(1);
    expect((await listAttempts(t.nudge.db, { limit: 5 }))[0]).toMatchObject({
      statusCode: status,
      outcome: "failed",
    });
    t.clock.advance(MINUTE);
    await receiver.waitForNotifications(2, "/onenote");
    expect(receiver.notifications("/elsewhere")).toHaveLength(0);
  });

  it("counts 200, 202 and 204 as delivered", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await oneNoteSetup(t, receiver);
    await fx.touch(fx.alice, fx.notes);
    for (const [n, status] of [200, 202, 204].entries()) {
      receiver.respond("/onenote", answerNotifications(status));
      await fx.change(fx.notes, fx.alice.userId);
      await receiver.waitForNotifications(n + 1, "/onenote");
      await t.settle();
      expect((await listAttempts(t.nudge.db, { limit: 5 })).length).toBe(n + 1);
    }
    const outcomes = (await listAttempts(t.nudge.db, { limit: 5 })).map((a) => a.outcome);
    expect(outcomes).toEqual(["delivered", "delivered", "delivered"]);
  });
});

describe("app-level registrations (OneDrive preview)", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("refuses a webhook URL off the app's root domain", async () => {
    t = await startTestNudge();
    const s = t.nudge.services;
    const alice = await s.identity.authenticate(t.demo.users.alice.token);
    await expect(
      s.registrations.setAppWebhook(alice.tenantId, alice.appId, {
        webhookUrl: "https://webhooks.evil.example/hook",
        rootDomain: "myservice.contoso.com",
      }),
    ).rejects.toMatchObject({ code: "invalidNotificationUrl" });
    const ok = await s.registrations.setAppWebhook(alice.tenantId, alice.appId, {
      webhookUrl: "https://webhooks.myservice.contoso.com/api/changeNotification",
      rootDomain: "myservice.contoso.com",
    });
    expect(ok.webhookUrl).toBe("https://webhooks.myservice.contoso.com/api/changeNotification");
  });

  it("notifies for a user active yesterday, not for one idle 61 days, in the preview payload", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const s = t.nudge.services;
    const alice = await s.identity.authenticate(t.demo.users.alice.token);
    const bob = await s.identity.authenticate(t.demo.users.bob.token);
    // Loopback is the app's root domain here: the receiver is at 127.0.0.1.
    await s.registrations.setAppWebhook(alice.tenantId, alice.appId, {
      webhookUrl: receiver.url("/preview"),
      rootDomain: "127.0.0.1",
    });
    const alicesDrive = await s.resources.create(alice, { kind: "drive", title: "OneDrive" });
    const bobsDrive = await s.resources.create(bob, { kind: "drive", title: "OneDrive" });
    const profile = s.profiles["onedrive-legacy"];
    await s.registrations.touch(bob, profile, bobsDrive);
    t.clock.advance(60 * DAY);
    await s.registrations.touch(alice, profile, alicesDrive);
    t.clock.advance(DAY);
    await journalChanges(s, bobsDrive, [{ item: "f", kind: "update" }], bob.userId);
    await journalChanges(s, alicesDrive, [{ item: "f", kind: "update" }], alice.userId);
    const [post] = await receiver.waitForNotifications(1, "/preview");
    await t.settle();
    expect(receiver.notifications("/preview")).toHaveLength(1);
    const value = (post!.json as { value: Array<Record<string, unknown>> }).value;
    expect(value).toEqual([
      {
        subscriptionId: expect.stringMatching(/^WLS_SubscriptionId_[0-9A-F-]{36}$/),
        subscriptionExpirationDateTime: expect.any(String),
        userId: alice.userId,
        entity: { id: alice.userId },
      },
    ]);
  });
});
