/**
 * SharePoint subscription calls: each with the exact status clients depend on (201, 200, 200, 204
 * empty, 204 empty), and each `Accept` shape for an entity and a collection.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { ACCEPT, SpClient } from "./sp-client.js";

describe("SharePoint subscriptions", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let sp: SpClient;
  let listId: string;
  let subscriptionsPath: string;

  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    sp = SpClient.for(t);
    listId = await sp.createList();
    subscriptionsPath = `web/lists('${listId}')/subscriptions`;
  });
  afterEach(async () => {
    await receiver.close();
    await t.stop();
  });

  async function create(body: Record<string, unknown> = {}): Promise<string> {
    const res = await sp.subscribe(listId, { notificationUrl: receiver.url(), clientState: "cs", ...body });
    expect(res.status).toBe(201);
    return res.json.id as string;
  }

  it("creates with 201 and answers the subscription with the list GUID as resource", async () => {
    const res = await sp.subscribe(listId, {
      resource: `${sp.siteUrl}/_api/web/lists('${listId}')`,
      notificationUrl: receiver.url(),
      expirationDateTime: "2026-04-01T10:00:00+02:00",
      clientState: "state-1",
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      clientState: "state-1",
      expirationDateTime: "2026-04-01T08:00:00Z",
      notificationUrl: receiver.url(),
      resource: listId.toLowerCase(),
      resourceData: null,
    });
  });

  it("accepts @pnp/sp's resource (the subscriptions collection URL) and a bare list GUID", async () => {
    const first = await sp.subscribe(listId, {
      resource: `${sp.siteUrl}/_api/${subscriptionsPath}`,
      notificationUrl: receiver.url(),
    });
    const second = await sp.subscribe(listId, {
      resource: listId.toUpperCase(),
      notificationUrl: receiver.url(),
    });
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.json.resource).toBe(listId);
  });

  it("addresses the list by title as well as by id", async () => {
    const res = await sp.post(`web/lists/getbytitle('Docs')/subscriptions`, {
      notificationUrl: receiver.url(),
    });
    expect(res.status).toBe(201);
    expect(res.json.resource).toBe(listId);
  });

  it("lists with 200 and a value array", async () => {
    const a = await create();
    const b = await create({ clientState: "other" });
    const res = await sp.get(subscriptionsPath);
    expect(res.status).toBe(200);
    // Created in the same fake-clock instant, so their order is not part of the contract.
    expect(res.json.value.map((s: { id: string }) => s.id).sort()).toEqual([a, b].sort());
  });

  it("gets one with 200", async () => {
    const id = await create();
    const res = await sp.get(`${subscriptionsPath}('${id}')`);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      id,
      clientState: "cs",
      notificationUrl: receiver.url(),
      resource: listId,
    });
  });

  it("updates with 204 and an empty body, renewing the expiration", async () => {
    const id = await create();
    const res = await sp.call("PATCH", `${subscriptionsPath}('${id}')`, {
      body: { expirationDateTime: "2026-05-01T00:00:00Z", clientState: "renewed" },
    });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    const after = await sp.get(`${subscriptionsPath}('${id}')`);
    expect(after.json).toMatchObject({ expirationDateTime: "2026-05-01T00:00:00Z", clientState: "renewed" });
  });

  it("validates a new notificationUrl on update", async () => {
    const id = await create();
    await sp.call("PATCH", `${subscriptionsPath}('${id}')`, {
      body: { notificationUrl: receiver.url("/new") },
    });
    expect(receiver.handshakes("/new")).toHaveLength(1);
    const after = await sp.get(`${subscriptionsPath}('${id}')`);
    expect(after.json.notificationUrl).toBe(receiver.url("/new"));
  });

  it("deletes with 204 and an empty body", async () => {
    const id = await create();
    const res = await sp.call("DELETE", `${subscriptionsPath}('${id}')`);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(await sp.subscriptionIds(listId)).toEqual([]);
  });

  it("answers 404 for a subscription of another list addressed through this one", async () => {
    const otherList = await sp.createList("Other");
    const id = await create();
    const res = await sp.get(`web/lists('${otherList}')/subscriptions('${id}')`);
    expect(res.status).toBe(404);
    const del = await sp.call("DELETE", `web/lists('${otherList}')/subscriptions('${id}')`);
    expect(del.status).toBe(404);
    expect(await sp.subscriptionIds(listId)).toEqual([id]);
  });

  it("answers 404 for an unknown subscription id", async () => {
    const res = await sp.get(`${subscriptionsPath}('00000000-0000-0000-0000-000000000000')`);
    expect(res.status).toBe(404);
    expect(res.json["odata.error"].code).toMatch(/^-?\d+, [\w.]+$/);
  });

  describe("Accept shapes", () => {
    it("nometadata: a bare entity, and a collection as {value}", async () => {
      const id = await create();
      const one = await sp.get(`${subscriptionsPath}('${id}')`, { accept: ACCEPT.nometadata });
      expect(one.headers.get("content-type")).toMatch(/^application\/json;odata=nometadata/);
      expect(Object.keys(one.json)).toEqual([
        "id",
        "clientState",
        "expirationDateTime",
        "notificationUrl",
        "resource",
        "resourceData",
      ]);
      const all = await sp.get(subscriptionsPath, { accept: ACCEPT.nometadata });
      expect(Object.keys(all.json)).toEqual(["value"]);
      expect(all.json.value[0]).toEqual(one.json);
    });

    for (const accept of [ACCEPT.minimalmetadata, ACCEPT.json]) {
      it(`${accept}: odata.metadata, type, id and editLink beside the fields`, async () => {
        const id = await create();
        const one = await sp.get(`${subscriptionsPath}('${id}')`, { accept });
        expect(one.headers.get("content-type")).toMatch(/^application\/json;odata=minimalmetadata/);
        expect(one.json).toMatchObject({
          "odata.metadata": expect.stringMatching(/\/sites\/dev\/_api\/\$metadata#.+\/@Element$/),
          "odata.type": "Microsoft.SharePoint.Webhooks.Subscription",
          "odata.id": expect.stringContaining(
            `/sites/dev/_api/Web/Lists(guid'${listId}')/Subscriptions('${id}')`,
          ),
          "odata.editLink": `Web/Lists(guid'${listId}')/Subscriptions('${id}')`,
          id,
          resource: listId,
        });
        const all = await sp.get(subscriptionsPath, { accept });
        expect(Object.keys(all.json)).toEqual(["odata.metadata", "value"]);
        expect(all.json.value[0]).toMatchObject({
          "odata.type": "Microsoft.SharePoint.Webhooks.Subscription",
          id,
        });
      });
    }

    it("verbose: {d:{__metadata,…}} and collections as {d:{results}}", async () => {
      const created = await sp.subscribe(
        listId,
        { notificationUrl: receiver.url() },
        { accept: ACCEPT.verbose },
      );
      expect(created.status).toBe(201);
      const id = created.json.d.id as string;
      expect(created.json.d.__metadata).toEqual({
        id: expect.stringContaining(`Subscriptions('${id}')`),
        uri: expect.stringContaining(`Subscriptions('${id}')`),
        type: "Microsoft.SharePoint.Webhooks.Subscription",
      });
      const one = await sp.get(`${subscriptionsPath}('${id}')`, { accept: ACCEPT.verbose });
      expect(one.headers.get("content-type")).toMatch(/^application\/json;odata=verbose/);
      expect(one.json.d).toMatchObject({ id, resource: listId });
      const all = await sp.get(subscriptionsPath, { accept: ACCEPT.verbose });
      expect(Object.keys(all.json.d)).toEqual(["results"]);
      expect(all.json.d.results[0]).toMatchObject({ id, __metadata: { type: expect.any(String) } });
    });

    it("verbose errors come under the key error, the others under odata.error", async () => {
      const missing = `${subscriptionsPath}('00000000-0000-0000-0000-000000000000')`;
      const verbose = await sp.get(missing, { accept: ACCEPT.verbose });
      expect(Object.keys(verbose.json)).toEqual(["error"]);
      expect(verbose.json.error).toEqual({
        code: expect.any(String),
        message: { lang: "en-US", value: expect.any(String) },
      });
      const minimal = await sp.get(missing, { accept: ACCEPT.json });
      expect(Object.keys(minimal.json)).toEqual(["odata.error"]);
      expect(minimal.json["odata.error"]).toEqual(verbose.json.error);
    });
  });
});
