import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { driveClient } from "../drive/client.js";
import { journalChanges } from "../helpers/journal.js";

type Preview = { value: Array<Record<string, unknown>> };

describe("OneDrive preview webhook (app-level) through the drive API", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  async function start() {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const admin = driveClient(t, "admin");
    // Loopback is the app's root domain here: the receiver is at 127.0.0.1.
    const set = await admin.patch(`/admin/tenants/${t.demo.tenantId}/apps/${t.demo.app.clientId}`, {
      webhookUrl: receiver.url("/preview"),
      rootDomain: "127.0.0.1",
    });
    expect(set.status).toBe(200);
  }

  it("refuses an app webhook URL off the app's root domain", async () => {
    await start();
    const answer = await driveClient(t, "admin").patch(
      `/admin/tenants/${t.demo.tenantId}/apps/${t.demo.app.clientId}`,
      {
        webhookUrl: "https://webhooks.elsewhere.example/hook",
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.json.error.code).toBe("invalidNotificationUrl");
  });

  it("registers a user by any drive call and sends the preview payload for changes in their drive", async () => {
    await start();
    const alice = driveClient(t, "alice");
    await alice.get(`/drive/root`);
    await alice.put(`/drive/root:/docs/a.txt:/content`, "a");
    const [post] = await receiver.waitForNotifications(1, "/preview");
    expect(receiver.handshakes()).toHaveLength(0);
    expect((post!.json as Preview).value).toEqual([
      {
        subscriptionId: expect.stringMatching(/^WLS_SubscriptionId_[0-9A-F-]{36}$/),
        subscriptionExpirationDateTime: expect.any(String),
        userId: t.demo.users.alice.id,
        entity: { id: t.demo.users.alice.id },
      },
    ]);
  });

  it("notifies for a user active yesterday and not for one idle 61 days", async () => {
    await start();
    const alice = driveClient(t, "alice");
    const bob = driveClient(t, "bob");
    const bobsDrive = (await bob.get(`/v1.0/me/drive`)).json.id as string;
    // Alice may write in Bob's drive, so his drive changes without him using the app.
    await driveClient(t, "admin").post(`/admin/tenants/${t.demo.tenantId}/grants`, {
      resourceId: bobsDrive,
      userId: t.demo.users.alice.id,
    });
    t.clock.advance(60 * DAY);
    await alice.get(`/drive/root`);
    t.clock.advance(DAY);
    await alice.put(`/v1.0/drives/${bobsDrive}/root:/from-alice.txt:/content`, "hi bob");
    await t.settle();
    expect(receiver.notifications("/preview")).toHaveLength(0);
    await alice.put(`/drive/root:/mine.txt:/content`, "mine");
    const [post] = await receiver.waitForNotifications(1, "/preview");
    await t.settle();
    expect(receiver.notifications("/preview")).toHaveLength(1);
    expect((post!.json as Preview).value.map((v) => v.userId)).toEqual([t.demo.users.alice.id]);
  });

  it("stops notifying a user who has not used the app for more than two months, until they use it again", async () => {
    await start();
    const alice = driveClient(t, "alice");
    await alice.get(`/drive/root`);
    t.clock.advance(61 * DAY);
    const s = t.nudge.services;
    const principal = await s.identity.authenticate(t.demo.users.alice.token);
    const drive = await s.resources.ensureOwn(principal, "drive");
    await journalChanges(s, drive, [{ item: "outside-the-api", kind: "update" }], principal.userId);
    await t.settle();
    expect(receiver.notifications("/preview")).toHaveLength(0);
    await alice.put(`/drive/root:/back.txt:/content`, "back");
    await receiver.waitForNotifications(1, "/preview");
  });
});
