/**
 * Sites and lists on the SharePoint surface: the root site and `/sites/{name}`, creating lists,
 * finding them by id and by title in every spelling clients use, and unknown paths.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { ACCEPT, SpClient } from "./sp-client.js";

describe("SharePoint sites and lists", () => {
  let t: TestNudge;
  let sp: SpClient;

  beforeEach(async () => {
    t = await startTestNudge();
    sp = SpClient.for(t);
  });
  afterEach(async () => {
    await t.stop();
  });

  it("creates a list with 201 and answers it as an SP.List", async () => {
    const res = await sp.post("web/lists", { Title: "Team Docs", BaseTemplate: 100, Description: "" });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      Title: "Team Docs",
      Description: "",
      BaseTemplate: 100,
      BaseType: 0,
      Created: "2026-03-01T12:00:00Z",
      LastItemModifiedDate: "2026-03-01T12:00:00Z",
      ItemCount: 0,
      CurrentChangeToken: { StringValue: expect.stringMatching(/^1;3;[0-9a-f-]{36};\d+;0$/) },
      EntityTypeName: "TeamDocsList",
      ListItemEntityTypeFullName: "SP.Data.TeamDocsListItem",
      ParentWebUrl: "/sites/dev",
    });
  });

  it("refuses a second list with the same title", async () => {
    await sp.createList("Docs");
    const res = await sp.post("web/lists", { Title: "Docs", BaseTemplate: 100 });
    expect(res.status).toBe(409);
    expect(res.json["odata.error"].message.value).toMatch(/title 'Docs' already exists/);
    expect((await sp.get("web/lists")).json.value).toHaveLength(1);
  });

  it("refuses a list without a title or with a BaseTemplate that is not an integer", async () => {
    expect((await sp.post("web/lists", { BaseTemplate: 100 })).status).toBe(400);
    expect((await sp.post("web/lists", { Title: "Docs", BaseTemplate: "100" })).status).toBe(400);
    expect((await sp.get("web/lists")).json.value).toEqual([]);
  });

  it("finds a list by every id spelling: lists('id'), lists(guid'ID'), getById, case-insensitive segments", async () => {
    const id = await sp.createList("Docs");
    const paths = [
      `web/lists('${id}')`,
      `web/lists(guid'${id.toUpperCase()}')`,
      `web/lists/getById('${id}')`,
      `Web/Lists/GetById('${id}')`,
      `lists('${id}')`,
    ];
    for (const path of paths) {
      const res = await sp.get(path);
      expect([path, res.status, res.json.Id]).toEqual([path, 200, id]);
    }
  });

  it("finds a list by title, with doubled apostrophes and percent-encoding", async () => {
    const title = "Bob's Docs & #1/2";
    const id = await sp.createList(title);
    const literal = encodeURIComponent(title.replace(/'/g, "''"));
    for (const method of ["getByTitle", "getbytitle", "GETBYTITLE"]) {
      const res = await sp.get(`web/lists/${method}('${literal}')`);
      expect([method, res.status, res.json.Id]).toEqual([method, 200, id]);
    }
  });

  it("answers 404 in SharePoint's format for a list that does not exist", async () => {
    await sp.createList("Docs");
    const res = await sp.get(`web/lists/getByTitle('Missing')`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      "odata.error": {
        code: "-1, System.ArgumentException",
        message: { lang: "en-US", value: expect.stringContaining("'Missing' does not exist") },
      },
    });
  });

  it("lists only the lists of the addressed site", async () => {
    const dev = await sp.createList("Docs");
    const root = SpClient.for(t, "alice", "/");
    const rootList = await root.createList("Docs");
    expect((await sp.get("web/lists")).json.value.map((l: { Id: string }) => l.Id)).toEqual([dev]);
    expect((await root.get("web/lists")).json.value.map((l: { Id: string }) => l.Id)).toEqual([rootList]);
    expect((await root.get(`web/lists('${dev}')`)).status).toBe(404);
  });

  it("treats site names case-insensitively", async () => {
    const id = await sp.createList("Docs");
    const upper = SpClient.for(t, "alice", "/sites/DEV");
    expect((await upper.get(`web/lists('${id}')`)).status).toBe(200);
  });

  it("applies $select and $top to lists", async () => {
    await sp.createList("A");
    await sp.createList("B");
    const res = await sp.get("web/lists?$select=Id,Title&$top=1");
    expect(res.json.value).toEqual([{ Id: expect.any(String), Title: "A" }]);
  });

  it("counts items and tracks the last item change on the list", async () => {
    const id = await sp.createList("Docs");
    t.clock.advance(60_000);
    await sp.addItem(id);
    await sp.addItem(id);
    const res = await sp.get(`web/lists('${id}')`);
    expect(res.json).toMatchObject({ ItemCount: 2, LastItemModifiedDate: "2026-03-01T12:01:00Z" });
  });

  it("answers @pnp/sp's lists.ensure MERGE on an existing list with 204", async () => {
    await sp.createList("Docs");
    const res = await sp.call("POST", "web/lists/getByTitle('Docs')?$select=Title", {
      body: { Title: "Docs", Description: "", ContentTypesEnabled: false },
      headers: { "x-http-method": "MERGE", "if-match": "*" },
    });
    expect(res.status).toBe(204);
    const missing = await sp.call("POST", "web/lists/getByTitle('Nope')", {
      body: { Title: "Nope" },
      headers: { "x-http-method": "MERGE" },
    });
    expect(missing.status).toBe(404);
  });

  it("answers GET /_api/web with the site", async () => {
    await sp.createList("Docs");
    const res = await sp.get("web");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      Id: expect.any(String),
      Title: "dev",
      ServerRelativeUrl: "/sites/dev",
      Url: `${t.url}/sites/dev`,
    });
    const root = await SpClient.for(t, "alice", "/").get("web");
    expect(root.json).toMatchObject({ ServerRelativeUrl: "/", Url: t.url });
    expect(root.json.Id).not.toBe(res.json.Id);
  });

  it("answers reads of a site no list was made on with SharePoint's 404 for a missing site, and stores no site", async () => {
    const sites = () => t.nudge.db.selectFrom("sites").select("path").orderBy("path").execute();
    const before = await sites();
    const ghost = SpClient.for(t, "alice", "/sites/ghost");
    const calls = [
      await ghost.get("web"),
      await ghost.get("web/lists"),
      await ghost.get("web/lists/getByTitle('Docs')"),
      await ghost.get("web/lists('00000000-0000-0000-0000-000000000001')/items"),
      await ghost.call("DELETE", "web/lists('00000000-0000-0000-0000-000000000001')/items(1)"),
      await ghost.getChanges("00000000-0000-0000-0000-000000000001", { Add: true, Item: true }),
      await ghost.get("web", { accept: ACCEPT.verbose }),
    ];
    for (const res of calls) {
      expect(res.status).toBe(404);
      const error = res.json["odata.error"] ?? res.json.error;
      expect(error).toEqual({
        code: "-2147024894, System.IO.FileNotFoundException",
        message: { lang: "en-US", value: "File Not Found." },
      });
    }
    for (let i = 0; i < 20; i++)
      expect((await SpClient.for(t, "alice", `/sites/ghost-${i}`).get("web")).status).toBe(404);
    expect(await sites()).toEqual(before);
    // A digest can be fetched before the write that makes the site; it makes nothing either.
    expect((await ghost.call("POST", "contextinfo")).status).toBe(200);
    expect(await sites()).toEqual(before);
    await ghost.createList("Docs");
    expect((await ghost.get("web")).json.ServerRelativeUrl).toBe("/sites/ghost");
    expect((await sites()).map((site) => site.path)).toContain("/sites/ghost");
  });

  it("answers POST /_api/contextinfo with a form digest", async () => {
    const res = await sp.call("POST", "contextinfo");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      FormDigestValue: expect.stringMatching(/^0x[0-9A-F]+,2026-03-01T12:00:00Z$/),
      FormDigestTimeoutSeconds: 1800,
      WebFullUrl: `${t.url}/sites/dev`,
    });
    const verbose = await sp.call("POST", "contextinfo", { accept: ACCEPT.verbose });
    expect(verbose.json.d.GetContextWebInformation.FormDigestValue).toMatch(/^0x/);
  });

  it("answers 404 in SharePoint's format for a path it does not serve", async () => {
    for (const path of [
      "web/fields",
      "web/lists('x')/views",
      "web/lists/getByTitle('x')/items(0)",
      "nothing",
    ]) {
      const res = await sp.get(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.json["odata.error"].code).toBe(
        "-1, Microsoft.SharePoint.Client.InvalidClientQueryException",
      );
    }
  });

  it("answers 405 for a method the path does not have", async () => {
    const res = await sp.call("DELETE", "web/lists");
    expect(res.status).toBe(405);
    expect(res.json["odata.error"].message.value).toMatch(/DELETE is not allowed/);
  });
});
