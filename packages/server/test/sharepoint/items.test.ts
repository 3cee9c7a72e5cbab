/**
 * List items on the SharePoint surface: add, read, list, update (PATCH, MERGE tunnelled or real,
 * IF-MATCH) and delete, with SharePoint's status codes and etags.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { ACCEPT, SpClient } from "./sp-client.js";

describe("SharePoint list items", () => {
  let t: TestNudge;
  let sp: SpClient;
  let listId: string;
  let items: string;

  beforeEach(async () => {
    t = await startTestNudge();
    sp = SpClient.for(t);
    listId = await sp.createList("Docs");
    items = `web/lists('${listId}')/items`;
  });
  afterEach(async () => {
    await t.stop();
  });

  const titleOf = async (n: number) => (await sp.get(`${items}(${n})`)).json.Title;

  it("adds an item with 201, numbered from 1, with its etag", async () => {
    const res = await sp.post(items, { Title: "first", Count: 3, Done: false, Note: null });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.json).toEqual({
      Id: 1,
      ID: 1,
      Title: "first",
      Count: 3,
      Done: false,
      Note: null,
      Created: "2026-03-01T12:00:00Z",
      Modified: "2026-03-01T12:00:00Z",
      AuthorId: t.demo.users.alice.id,
      EditorId: t.demo.users.alice.id,
      GUID: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(await sp.addItem(listId)).toBe(2);
  });

  it("carries odata.etag with minimal metadata and __metadata.etag with verbose", async () => {
    const minimal = await sp.post(items, { Title: "a" }, { accept: ACCEPT.json });
    expect(minimal.json).toMatchObject({ "odata.etag": '"1"', "odata.type": "SP.Data.DocsListItem", Id: 1 });
    const verbose = await sp.post(
      items,
      { __metadata: { type: "SP.Data.DocsListItem" }, Title: "b" },
      { accept: ACCEPT.verbose },
    );
    expect(verbose.status).toBe(201);
    expect(verbose.json.d.__metadata).toMatchObject({ etag: '"1"', type: "SP.Data.DocsListItem" });
    expect(verbose.json.d).not.toHaveProperty("__metadata.__metadata");
    expect(verbose.json.d.Title).toBe("b");
  });

  it("keeps fields named like Object's own properties (__proto__, constructor, toString), added and merged", async () => {
    const added = await sp.call("POST", items, {
      rawBody: '{"Title":"a","__proto__":"p","constructor":"c","toString":"s"}',
    });
    expect(added.status).toBe(201);
    expect(Object.hasOwn(added.json, "__proto__")).toBe(true);
    expect(added.json).toMatchObject({ constructor: "c", toString: "s" });
    const merged = await sp.call("PATCH", `${items}(1)`, {
      rawBody: '{"__proto__":"q","hasOwnProperty":"h"}',
    });
    expect(merged.status).toBe(204);
    const item = (await sp.call("GET", `${items}(1)`)).text;
    expect(JSON.parse(item)).toMatchObject({
      Title: "a",
      constructor: "c",
      toString: "s",
      hasOwnProperty: "h",
    });
    expect(item).toContain('"__proto__":"q"');
  });

  it("reads an item by items(n) and items/getById(n)", async () => {
    await sp.addItem(listId, { Title: "one" });
    expect((await sp.get(`${items}(1)`)).json.Title).toBe("one");
    expect((await sp.get(`${items}/getById(1)`)).json.Title).toBe("one");
  });

  it("lists items with $top and $select", async () => {
    for (const title of ["a", "b", "c"]) await sp.addItem(listId, { Title: title });
    const all = await sp.get(items);
    expect(all.status).toBe(200);
    expect(all.json.value.map((i: { Title: string }) => i.Title)).toEqual(["a", "b", "c"]);
    // Field names are case-insensitive in $select, so `Id` keeps `ID` too (as SharePoint answers).
    const some = await sp.get(`${items}?$select=Id,Title&$top=2`);
    expect(some.json.value).toEqual([
      { Id: 1, ID: 1, Title: "a" },
      { Id: 2, ID: 2, Title: "b" },
    ]);
  });

  it("updates by PATCH with 204, an empty body and the new etag", async () => {
    await sp.addItem(listId, { Title: "old", Keep: "kept" });
    t.clock.advance(1000);
    const res = await sp.call("PATCH", `${items}(1)`, { body: { Title: "new" } });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(res.headers.get("etag")).toBe('"2"');
    const item = (await sp.get(`${items}(1)`)).json;
    expect(item).toMatchObject({ Title: "new", Keep: "kept", Modified: "2026-03-01T12:00:01Z" });
  });

  it("updates by POST with X-HTTP-Method: MERGE and a matching IF-MATCH", async () => {
    await sp.addItem(listId, { Title: "old" });
    const res = await sp.call("POST", `${items}(1)`, {
      body: { Title: "merged" },
      headers: { "x-http-method": "MERGE", "if-match": '"1"' },
    });
    expect(res.status).toBe(204);
    expect(await titleOf(1)).toBe("merged");
  });

  it("updates by a real MERGE request with IF-MATCH: *", async () => {
    await sp.addItem(listId, { Title: "old" });
    const res = await sp.call("MERGE", `${items}(1)`, {
      body: { Title: "merged" },
      headers: { "if-match": "*" },
    });
    expect(res.status).toBe(204);
    expect(await titleOf(1)).toBe("merged");
  });

  it("refuses an update with a stale IF-MATCH with 412 and keeps the item", async () => {
    await sp.addItem(listId, { Title: "old" });
    await sp.call("PATCH", `${items}(1)`, { body: { Title: "v2" } });
    const res = await sp.call("PATCH", `${items}(1)`, {
      body: { Title: "v3" },
      headers: { "if-match": '"1"' },
    });
    expect(res.status).toBe(412);
    expect(res.json["odata.error"].code).toBe("-1, Microsoft.SharePoint.Client.ClientServiceException");
    expect(await titleOf(1)).toBe("v2");
  });

  it("deletes by DELETE with 200 and an empty body", async () => {
    await sp.addItem(listId);
    const res = await sp.call("DELETE", `${items}(1)`);
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    const gone = await sp.get(`${items}(1)`);
    expect(gone.status).toBe(404);
    expect(gone.json["odata.error"].code).toBe("-2130575338, System.ArgumentException");
  });

  it("deletes by POST with X-HTTP-Method: DELETE, honouring IF-MATCH", async () => {
    await sp.addItem(listId);
    const stale = await sp.call("POST", `${items}(1)`, {
      headers: { "x-http-method": "DELETE", "if-match": '"7"' },
    });
    expect(stale.status).toBe(412);
    const res = await sp.call("POST", `${items}(1)`, {
      headers: { "x-http-method": "DELETE", "if-match": "*" },
    });
    expect(res.status).toBe(200);
    expect((await sp.get(items)).json.value).toEqual([]);
  });

  it("answers 404 for an item that does not exist, on read, update and delete", async () => {
    expect((await sp.get(`${items}(9)`)).status).toBe(404);
    expect((await sp.call("PATCH", `${items}(9)`, { body: { Title: "x" } })).status).toBe(404);
    expect((await sp.call("DELETE", `${items}(9)`)).status).toBe(404);
  });

  it("refuses field values that are objects or arrays, and adds nothing", async () => {
    for (const value of [{ nested: 1 }, [1, 2]]) {
      const res = await sp.post(items, { Title: "x", Bad: value });
      expect(res.status).toBe(400);
      expect(res.json["odata.error"].message.value).toMatch(
        /Field 'Bad' must be a string, number, boolean or null/,
      );
    }
    await sp.addItem(listId, { Title: "x" });
    expect((await sp.call("PATCH", `${items}(1)`, { body: { Bad: { a: 1 } } })).status).toBe(400);
    expect((await sp.get(items)).json.value).toHaveLength(1);
  });

  it("refuses a field called value, which @pnp/sp would take for a collection", async () => {
    expect((await sp.post(items, { Title: "x", value: 1 })).status).toBe(400);
  });

  it("ignores read-only fields sent back by a client", async () => {
    const res = await sp.post(items, { Id: 99, GUID: "mine", Created: "2000-01-01T00:00:00Z", Title: "x" });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ Id: 1, Created: "2026-03-01T12:00:00Z", Title: "x" });
    expect(res.json.GUID).not.toBe("mine");
  });
});
