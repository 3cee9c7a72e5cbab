/**
 * Who may call the SharePoint surface: a bearer token is required everywhere (401 without or with
 * a wrong one), and another user's list is a 404 that cannot be told from a missing list.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { SpClient } from "./sp-client.js";

describe("SharePoint access", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let alice: SpClient;
  let bob: SpClient;
  let listId: string;
  let subscriptionId: string;

  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    alice = SpClient.for(t, "alice");
    bob = SpClient.for(t, "bob");
    listId = await alice.createList();
    await alice.addItem(listId);
    subscriptionId = (await alice.subscribe(listId, { notificationUrl: receiver.url() })).json.id;
  });
  afterEach(async () => {
    await receiver.close();
    await t.stop();
  });

  it("answers 401 in SharePoint's format without a token", async () => {
    const res = await alice.as({}).get("web/lists");
    expect(res.status).toBe(401);
    expect(res.json["odata.error"].code).toBe("-2147024891, System.UnauthorizedAccessException");
  });

  it("answers 401 to a wrong token, on every kind of call", async () => {
    const stranger = alice.as({ authorization: "Bearer nudge_not-a-real-token" });
    const calls = [
      stranger.get("web"),
      stranger.post("web/lists", { Title: "Mine" }),
      stranger.get(`web/lists('${listId}')/items`),
      stranger.subscribe(listId, { notificationUrl: receiver.url() }),
      stranger.getChanges(listId, { Add: true, Item: true }),
    ];
    for (const res of await Promise.all(calls)) expect(res.status).toBe(401);
  });

  it("answers 401 before reading a body", async () => {
    const res = await alice.as({}).call("POST", "web/lists", { rawBody: "{not json" });
    expect(res.status).toBe(401);
  });

  it("answers 404 to bob for alice's list, by id and by title, and does not list it", async () => {
    expect((await bob.get(`web/lists('${listId}')`)).status).toBe(404);
    expect((await bob.get(`web/lists/getByTitle('Docs')`)).status).toBe(404);
    expect((await bob.get("web/lists")).json.value).toEqual([]);
  });

  it("answers 404 to bob for alice's items, and changes nothing", async () => {
    expect((await bob.get(`web/lists('${listId}')/items`)).status).toBe(404);
    expect((await bob.get(`web/lists('${listId}')/items(1)`)).status).toBe(404);
    expect((await bob.post(`web/lists('${listId}')/items`, { Title: "bob was here" })).status).toBe(404);
    expect(
      (await bob.call("PATCH", `web/lists('${listId}')/items(1)`, { body: { Title: "b" } })).status,
    ).toBe(404);
    expect((await bob.call("DELETE", `web/lists('${listId}')/items(1)`)).status).toBe(404);
    const items = await alice.get(`web/lists('${listId}')/items`);
    expect(items.json.value.map((i: { Title: string }) => i.Title)).toEqual(["x"]);
  });

  it("answers 404 to bob for alice's subscriptions, and changes nothing", async () => {
    const path = `web/lists('${listId}')/subscriptions`;
    expect((await bob.get(path)).status).toBe(404);
    expect((await bob.subscribe(listId, { notificationUrl: receiver.url() })).status).toBe(404);
    expect((await bob.get(`${path}('${subscriptionId}')`)).status).toBe(404);
    expect(
      (await bob.call("PATCH", `${path}('${subscriptionId}')`, { body: { clientState: "b" } })).status,
    ).toBe(404);
    expect((await bob.call("DELETE", `${path}('${subscriptionId}')`)).status).toBe(404);
    expect(await alice.subscriptionIds(listId)).toEqual([subscriptionId]);
    expect(receiver.handshakes()).toHaveLength(1);
  });

  it("answers 404 to bob for getchanges on alice's list", async () => {
    const res = await bob.getChanges(listId, { Add: true, Item: true });
    expect(res.status).toBe(404);
    expect(res.json["odata.error"].code).toBe("-1, System.ArgumentException");
  });

  it("gives bob his own lists on the same site", async () => {
    const bobs = await bob.createList("Docs");
    expect(bobs).not.toBe(listId);
    expect((await bob.get(`web/lists/getByTitle('Docs')`)).json.Id).toBe(bobs);
    expect((await alice.get(`web/lists/getByTitle('Docs')`)).json.Id).toBe(listId);
  });
});
