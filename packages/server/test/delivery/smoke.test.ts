import { afterEach, describe, expect, it } from "vitest";
import type { Principal } from "../../src/identity/principal.js";
import { startTestNudge, type TestNudge } from "../helpers/nudge.js";
import { TestReceiver } from "../helpers/receiver.js";

describe("smoke", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("delivers a SharePoint notification after an item is added", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const s = t.nudge.services;
    const alice: Principal = await s.identity.authenticate(t.demo.users.alice.token);
    const site = await s.resources.ensureSite(alice.tenantId, "/sites/dev");
    const list = await s.resources.create(alice, { kind: "sharepoint-list", title: "Docs", siteId: site.id, template: 100 });
    const sub = await s.subscriptions.create(alice, list, s.profiles.sharepoint, { notificationUrl: receiver.url(), clientState: "cs" });
    await s.items.addNumbered(list, { Title: "x" }, alice.userId);
    const [n] = await receiver.waitForNotifications(1);
    expect(n!.json).toEqual({
      value: [
        {
          subscriptionId: sub.id,
          clientState: "cs",
          expirationDateTime: expect.stringMatching(/\.0000000Z$/),
          resource: list.id,
          tenantId: alice.tenantId,
          siteUrl: "/sites/dev",
          webId: site.id,
        },
      ],
    });
  });
});
