/**
 * Notifications caused by writes through the SharePoint surface: a burst of changes becomes few
 * POSTs, each carrying exactly SharePoint's notification fields; subscriptions that share a URL
 * share a POST.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { SpClient } from "./sp-client.js";

const NOTIFICATION_FIELDS = [
  "clientState",
  "expirationDateTime",
  "resource",
  "siteUrl",
  "subscriptionId",
  "tenantId",
  "webId",
];

describe("SharePoint notifications", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await receiver?.close();
    await t?.stop();
  });

  it("turns 100 item changes in a burst into few POSTs with exactly SharePoint's fields", async () => {
    t = await startTestNudge({ config: { delivery: { coalesceWindowMs: 1000 } } });
    receiver = await TestReceiver.start();
    const sp = SpClient.for(t);
    const listId = await sp.createList();
    const created = await sp.subscribe(listId, { notificationUrl: receiver.url(), clientState: "cs-burst" });
    const web = (await sp.get("web")).json;
    for (let i = 0; i < 100; i++) await sp.addItem(listId, { Title: `item ${i}` });
    // Nothing may go out before the coalescing window has passed on the fake clock.
    await t.settle();
    expect(receiver.notifications()).toEqual([]);
    t.clock.advance(1000);
    await receiver.waitForNotifications(1);
    // Give a dispatcher that would (wrongly) send more a chance to do so.
    await t.settle();
    const posts = receiver.notifications();
    expect(posts.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeLessThanOrEqual(3);
    for (const post of posts) {
      const { value } = post.json as { value: Array<Record<string, unknown>> };
      for (const entry of value) {
        expect(Object.keys(entry).sort()).toEqual(NOTIFICATION_FIELDS);
        expect(entry).toEqual({
          subscriptionId: created.json.id,
          clientState: "cs-burst",
          expirationDateTime: "2026-08-28T12:00:00.0000000Z",
          resource: listId,
          tenantId: t.demo.tenantId,
          siteUrl: "/sites/dev",
          webId: web.Id,
        });
      }
    }
  });

  it("sends one POST with three entries to three subscriptions on one URL", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const sp = SpClient.for(t);
    const listId = await sp.createList();
    const ids: string[] = [];
    for (const state of ["a", "b", "c"]) {
      ids.push(
        (await sp.subscribe(listId, { notificationUrl: receiver.url("/shared"), clientState: state })).json
          .id,
      );
    }
    await sp.addItem(listId);
    const [post] = await receiver.waitForNotifications(1, "/shared");
    await t.settle();
    expect(receiver.notifications("/shared")).toHaveLength(1);
    const value = (post!.json as { value: Array<{ subscriptionId: string; clientState: string }> }).value;
    expect(value.map((n) => n.subscriptionId).sort()).toEqual([...ids].sort());
    expect(value.map((n) => n.clientState).sort()).toEqual(["a", "b", "c"]);
  });

  it("sends three POSTs to three subscriptions on three URLs", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const sp = SpClient.for(t);
    const listId = await sp.createList();
    for (const path of ["/one", "/two", "/three"]) {
      await sp.subscribe(listId, { notificationUrl: receiver.url(path) });
    }
    await sp.addItem(listId);
    await receiver.waitForNotifications(3);
    await t.settle();
    for (const path of ["/one", "/two", "/three"]) {
      const posts = receiver.notifications(path);
      expect([path, posts.length]).toEqual([path, 1]);
      expect((posts[0]!.json as { value: unknown[] }).value).toHaveLength(1);
    }
  });

  it("notifies for updates and deletes made through the surface", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const sp = SpClient.for(t);
    const listId = await sp.createList();
    await sp.addItem(listId);
    await sp.subscribe(listId, { notificationUrl: receiver.url() });
    await sp.call("PATCH", `web/lists('${listId}')/items(1)`, { body: { Title: "y" } });
    await receiver.waitForNotifications(1);
    await sp.call("DELETE", `web/lists('${listId}')/items(1)`);
    await receiver.waitForNotifications(2);
  });
});
