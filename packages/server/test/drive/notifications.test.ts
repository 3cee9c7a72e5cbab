import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { driveClient } from "./client.js";

const ME = "/v1.0/me/drive";

/** A Graph subscription on alice's drive root, made through the service (as the /v1.0/subscriptions route does). */
async function subscribeToAlicesRoot(t: TestNudge, receiver: TestReceiver) {
  const s = t.nudge.services;
  const alice = await s.identity.authenticate(t.demo.users.alice.token);
  const drive = await s.resources.ensureOwn(alice, "drive");
  return s.subscriptions.create(alice, drive, s.profiles.graph, {
    notificationUrl: receiver.url("/graph"),
    clientState: "drive-state",
    resourcePath: "/me/drive/root",
  });
}

describe("drive changes and Graph subscriptions", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("notifies a subscription on the drive root of a change deep in the tree", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const alice = driveClient(t, "alice");
    await alice.put(`${ME}/root:/a/b/c/d/deep.txt:/content`, "v1");
    const subscription = await subscribeToAlicesRoot(t, receiver);
    await alice.put(`${ME}/root:/a/b/c/d/deep.txt:/content`, "v2");
    const [post] = await receiver.waitForNotifications(1, "/graph");
    expect(post!.json).toEqual({
      value: [
        {
          subscriptionId: subscription.id,
          expirationDateTime: new Date(subscription.expiresAt).toISOString(),
          resource: "/me/drive/root",
          clientState: "drive-state",
        },
      ],
    });
  });

  it("notifies for each kind of write: folder, rename, move and delete", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const alice = driveClient(t, "alice");
    const file = await alice.put(`${ME}/root:/x/file.txt:/content`, "x");
    await subscribeToAlicesRoot(t, receiver);
    const folder = await alice.post(`${ME}/root/children`, { name: "y", folder: {} });
    await receiver.waitForNotifications(1, "/graph");
    await alice.patch(`${ME}/items/${file.json.id}`, { name: "renamed.txt" });
    await receiver.waitForNotifications(2, "/graph");
    await alice.patch(`${ME}/items/${file.json.id}`, { parentReference: { id: folder.json.id } });
    await receiver.waitForNotifications(3, "/graph");
    await alice.delete(`${ME}/items/${folder.json.id}`);
    await receiver.waitForNotifications(4, "/graph");
  });

  it("does not notify for reads or refused writes", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const alice = driveClient(t, "alice");
    await alice.put(`${ME}/root:/a.txt:/content`, "x");
    await subscribeToAlicesRoot(t, receiver);
    await alice.get(`${ME}/root/children`);
    await alice.get(`${ME}/root/delta`);
    expect((await alice.post(`${ME}/root/children`, { name: "a.txt", folder: {} })).status).toBe(409);
    await t.settle();
    expect(receiver.notifications("/graph")).toHaveLength(0);
  });
});
