/**
 * The real client: @pnp/sp 4.x against a test Nudge, with a bearer token. It creates a list,
 * adds, updates and deletes items, runs a subscription's whole life, reads getChanges from a
 * token it built itself, and a notification reaches the receiver.
 */
import { InjectHeaders } from "@pnp/queryable";
import { SPDefault } from "@pnp/nodejs";
import { createChangeToken, spfi, type SPFI } from "@pnp/sp";
import "@pnp/sp/webs/index.js";
import "@pnp/sp/lists/index.js";
import "@pnp/sp/items/index.js";
import "@pnp/sp/subscriptions/index.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import "./pnp-types.js";

describe("@pnp/sp against Nudge", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let sp: SPFI;

  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    sp = spfi(`${t.url}/sites/dev`).using(
      SPDefault(),
      InjectHeaders({ Authorization: `Bearer ${t.demo.users.alice.token}` }),
    );
  });
  afterEach(async () => {
    await receiver.close();
    await t.stop();
  });

  it("creates a list, finds it by title and lists it", async () => {
    const created = await sp.web.lists.add("Docs");
    expect(created).toMatchObject({ Title: "Docs", BaseTemplate: 100 });
    const byTitle = await sp.web.lists.getByTitle("Docs")();
    expect(byTitle.Id).toBe(created.Id);
    const all = await sp.web.lists();
    expect(all.map((l) => l.Title)).toEqual(["Docs"]);
  });

  it("ensures a list: creates it once, then finds it", async () => {
    const first = await sp.web.lists.ensure("Docs");
    const second = await sp.web.lists.ensure("Docs");
    expect([first.created, second.created]).toEqual([true, false]);
    expect((await sp.web.lists()).length).toBe(1);
  });

  it("adds, updates (with the returned etag) and deletes items", async () => {
    const list = sp.web.lists.getById((await sp.web.lists.add("Docs")).Id);
    const one = await list.items.add({ Title: "one" });
    const two = await list.items.add({ Title: "two" });
    expect([one.Id, two.Id]).toEqual([1, 2]);
    const updated = await list.items.getById(1).update({ Title: "uno" });
    expect(updated).toEqual({ etag: '"2"' });
    const again = await list.items.getById(1).update({ Title: "eins" }, updated.etag);
    expect(again).toEqual({ etag: '"3"' });
    await list.items.getById(2).delete();
    const items = await list.items();
    expect(items.map((i) => [i.Id, i.Title])).toEqual([[1, "eins"]]);
  });

  it("surfaces a stale etag as an HTTP 412 error", async () => {
    const list = sp.web.lists.getById((await sp.web.lists.add("Docs")).Id);
    await list.items.add({ Title: "one" });
    await list.items.getById(1).update({ Title: "v2" });
    await expect(list.items.getById(1).update({ Title: "v3" }, '"1"')).rejects.toMatchObject({ status: 412 });
  });

  it("adds, gets, updates and deletes a subscription", async () => {
    const listInfo = await sp.web.lists.add("Docs");
    const list = sp.web.lists.getById(listInfo.Id);
    const added = await list.subscriptions.add(receiver.url(), "2026-04-01T00:00:00Z", "pnp-state");
    expect(added).toMatchObject({
      notificationUrl: receiver.url(),
      expirationDateTime: "2026-04-01T00:00:00Z",
      clientState: "pnp-state",
      resource: listInfo.Id,
    });
    expect(receiver.handshakes()).toHaveLength(1);
    const got = await list.subscriptions.getById(added.id)();
    expect(got.id).toBe(added.id);
    const all = await list.subscriptions();
    expect(all.map((s: { id: string }) => s.id)).toEqual([added.id]);
    expect(await list.subscriptions.getById(added.id).update("2026-05-01T00:00:00Z")).toEqual({});
    expect((await list.subscriptions.getById(added.id)()).expirationDateTime).toBe("2026-05-01T00:00:00Z");
    await list.subscriptions.getById(added.id).delete();
    expect(await list.subscriptions()).toEqual([]);
  });

  it("reads getChanges from a token made by createChangeToken", async () => {
    const listInfo = await sp.web.lists.add("Docs");
    const list = sp.web.lists.getById(listInfo.Id);
    await list.items.add({ Title: "before" });
    t.clock.advance(60_000);
    const between = new Date(t.clock.now() - 30_000);
    await list.items.add({ Title: "after" });
    await list.items.getById(2).update({ Title: "after, edited" });
    await list.items.getById(1).delete();
    const changes = await list.getChanges({
      Add: true,
      Update: true,
      DeleteObject: true,
      Item: true,
      ChangeTokenStart: createChangeToken("list", listInfo.Id, between),
    });
    expect(changes.map((c: { ChangeType: number; ItemId: number }) => [c.ChangeType, c.ItemId])).toEqual([
      [1, 2],
      [2, 2],
      [3, 1],
    ]);
    const next = await list.getChanges({ Add: true, Item: true, ChangeTokenStart: changes[0].ChangeToken });
    expect(next).toEqual([]);
  });

  it("gets a notification to the receiver after adding an item", async () => {
    const listInfo = await sp.web.lists.add("Docs");
    const list = sp.web.lists.getById(listInfo.Id);
    const subscription = await list.subscriptions.add(receiver.url(), "2026-04-01T00:00:00Z", "pnp-state");
    await list.items.add({ Title: "hello" });
    const [post] = await receiver.waitForNotifications(1);
    expect((post!.json as { value: unknown[] }).value).toEqual([
      expect.objectContaining({
        subscriptionId: subscription.id,
        clientState: "pnp-state",
        resource: listInfo.Id,
      }),
    ]);
  });

  it("throws an HTTP 404 error for a list that does not exist", async () => {
    await expect(sp.web.lists.getByTitle("Missing")()).rejects.toMatchObject({ status: 404 });
  });
});
