import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { changesOf, clientsOf, createResource, type Api } from "./api.js";

type Change = { item: string; kind: string };

describe("native change feed", () => {
  let t: TestNudge;
  let alice: Api;
  let bob: Api;
  let resource: string;
  beforeEach(async () => {
    t = await startTestNudge();
    ({ alice, bob } = clientsOf(t));
    resource = await createResource(alice);
  });
  afterEach(async () => {
    await t?.stop();
  });

  const feed = (query = "") => alice.get(`/v1/resources/${resource}/changes${query}`);
  const report = (body: unknown) => alice.post(`/v1/resources/${resource}/changes`, body);

  /** Follows tokens from `start` until hasMore is false; returns every page. */
  async function readAll(limit: number, start?: string) {
    const pages: Array<{ value: Change[]; token: string; hasMore: boolean }> = [];
    let token = start;
    for (;;) {
      const page = await feed(`?limit=${limit}${token ? `&token=${encodeURIComponent(token)}` : ""}`);
      expect(page.status).toBe(200);
      pages.push(page.body);
      token = page.body.token;
      if (!page.body.hasMore) return pages;
    }
  }

  it("returns a reported batch from the feed exactly, in order", async () => {
    const batch = {
      changes: [
        { item: "order-1", kind: "add" },
        { item: "order-2", kind: "add" },
        { item: "order-1", kind: "update" },
        { item: "order-2", kind: "rename" },
        { item: "order-2", kind: "move" },
        { item: "order-1", kind: "delete" },
      ],
    };
    const reported = await report(batch);
    expect(reported.status).toBe(201);
    expect(reported.body).toEqual({ count: 6, token: expect.any(String) });

    const read = await feed();
    expect(read.status).toBe(200);
    expect(read.body.hasMore).toBe(false);
    expect(read.body.value).toEqual(
      batch.changes.map((c) => ({ ...c, time: "2026-03-01T12:00:00.000Z", actorId: t.demo.users.alice.id })),
    );
    expect(read.body.value[0]).not.toHaveProperty("seq");
  });

  it("pages through the feed with limit and tokens: every change once, in order, hasMore until the end", async () => {
    const items = Array.from({ length: 25 }, (_, i) => `item-${i}`);
    await report(changesOf(...items.slice(0, 7)));
    await report(changesOf(...items.slice(7, 20)));
    await report(changesOf(...items.slice(20)));

    const pages = await readAll(10);
    expect(pages.map((p) => p.value.length)).toEqual([10, 10, 5]);
    expect(pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    expect(pages.flatMap((p) => p.value.map((c) => c.item))).toEqual(items);

    const after = await feed(`?token=${pages.at(-1)!.token}`);
    expect(after.body).toEqual({ value: [], token: pages.at(-1)!.token, hasMore: false });
  });

  it("says hasMore false on the last full page when the page size divides the feed exactly", async () => {
    await report(changesOf("a", "b", "c", "d"));
    const pages = await readAll(2);
    expect(pages.map((p) => p.value.map((c) => c.item))).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(pages.map((p) => p.hasMore)).toEqual([true, false]);
  });

  it("reads 100 changes per page when no limit is given", async () => {
    await report(changesOf(...Array.from({ length: 150 }, (_, i) => `i${i}`)));
    const first = await feed();
    expect(first.body.value).toHaveLength(100);
    expect(first.body.hasMore).toBe(true);
  });

  it("positions token=latest at the end: then exactly the new changes follow", async () => {
    await report(changesOf("old-1", "old-2"));
    const latest = await feed("?token=latest");
    expect(latest.status).toBe(200);
    expect(latest.body).toEqual({ value: [], token: expect.any(String), hasMore: false });

    await report(changesOf("new-1", "new-2", "new-3"));
    const next = await feed(`?token=${latest.body.token}`);
    expect(next.body.value.map((c: Change) => c.item)).toEqual(["new-1", "new-2", "new-3"]);
  });

  it("gives token=latest on an empty feed a token that then reads the first changes", async () => {
    const latest = await feed("?token=latest");
    await report(changesOf("first"));
    const next = await feed(`?token=${latest.body.token}`);
    expect(next.body.value.map((c: Change) => c.item)).toEqual(["first"]);
  });

  it("answers a report with a token positioned after its changes", async () => {
    await report(changesOf("a", "b"));
    const reported = await report(changesOf("c", "d"));
    await report(changesOf("e"));
    const next = await feed(`?token=${reported.body.token}`);
    expect(next.body.value.map((c: Change) => c.item)).toEqual(["e"]);
  });

  it("moves the resource's modifiedDateTime when changes are reported", async () => {
    t.clock.advance(60_000);
    await report(changesOf("a"));
    const got = await alice.get(`/v1/resources/${resource}`);
    expect(got.body.modifiedDateTime).toBe("2026-03-01T12:01:00.000Z");
    expect(got.body.createdDateTime).toBe("2026-03-01T12:00:00.000Z");
  });

  it("keeps the feeds of two resources apart", async () => {
    const other = await createResource(alice, "Other");
    await report(changesOf("mine"));
    await alice.post(`/v1/resources/${other}/changes`, changesOf("theirs"));
    expect((await feed()).body.value.map((c: Change) => c.item)).toEqual(["mine"]);
  });

  it("refuses the token of another resource with 400 invalidChangeToken", async () => {
    const other = await createResource(alice, "Other");
    await alice.post(`/v1/resources/${other}/changes`, changesOf("x"));
    const otherToken = (await alice.get(`/v1/resources/${other}/changes`)).body.token;
    const refused = await feed(`?token=${otherToken}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalidChangeToken");
  });

  it.each([
    ["not base64url", "not a token!"],
    ["base64url of no JSON", Buffer.from("hello").toString("base64url")],
    ["JSON of another version", Buffer.from(JSON.stringify({ v: 2, r: "x", s: 1 })).toString("base64url")],
    ["a negative position", Buffer.from(JSON.stringify({ v: 1, r: "x", s: -1 })).toString("base64url")],
  ])("refuses a malformed token (%s) with 400 invalidChangeToken", async (_what, token) => {
    const refused = await feed(`?token=${encodeURIComponent(token)}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalidChangeToken");
  });

  it("refuses a limit outside 1..1000, naming it", async () => {
    for (const limit of ["0", "1001", "ten"]) {
      const refused = await feed(`?limit=${limit}`);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toEqual({
        code: "invalidRequest",
        message: expect.stringContaining("limit"),
      });
    }
  });

  it("refuses an unknown change kind, naming the entry, and records nothing", async () => {
    const refused = await report({
      changes: [
        { item: "a", kind: "add" },
        { item: "b", kind: "created" },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalidRequest");
    expect(refused.body.error.message).toContain("changes[1].kind");
    expect((await feed()).body.value).toEqual([]);
  });

  it.each([
    ["an empty item", { item: "", kind: "add" }, "changes[2].item"],
    ["an item over 1024 characters", { item: "x".repeat(1025), kind: "add" }, "changes[2].item"],
    ["an item that is a number", { item: 7, kind: "add" }, "changes[2].item"],
    ["a missing kind", { item: "c" }, "changes[2].kind"],
  ])("records nothing of a batch with %s in it", async (_what, bad, field) => {
    const refused = await report({ changes: [{ item: "a", kind: "add" }, { item: "b", kind: "add" }, bad] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(field);
    expect((await feed()).body.value).toEqual([]);
  });

  it("accepts 1000 changes in one batch and refuses 1001", async () => {
    const items = Array.from({ length: 1001 }, (_, i) => `i${i}`);
    const refused = await report(changesOf(...items));
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("changes");
    expect((await feed()).body.value).toEqual([]);

    const accepted = await report(changesOf(...items.slice(0, 1000)));
    expect(accepted.status).toBe(201);
    expect(accepted.body.count).toBe(1000);
  });

  it("refuses an empty batch", async () => {
    const refused = await report({ changes: [] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("changes");
  });

  it("answers 404 to bob for alice's resource, reporting or reading", async () => {
    const reported = await bob.post(`/v1/resources/${resource}/changes`, changesOf("x"));
    expect(reported.status).toBe(404);
    expect(reported.body.error.code).toBe("resourceNotFound");
    const read = await bob.get(`/v1/resources/${resource}/changes`);
    expect(read.status).toBe(404);
    expect((await feed()).body.value).toEqual([]);
  });

  it("refuses reported changes to a resource that is not external", async () => {
    const s = t.nudge.services;
    const principal = await s.identity.authenticate(t.demo.users.alice.token);
    const site = await s.resources.ensureSite(principal.tenantId, "/");
    const list = await s.resources.create(principal, {
      kind: "sharepoint-list",
      title: "Docs",
      siteId: site.id,
    });
    const refused = await alice.post(`/v1/resources/${list.id}/changes`, changesOf("1"));
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalidRequest");
    expect((await alice.get(`/v1/resources/${list.id}/changes`)).body.value).toEqual([]);
  });

  it("answers a token from before the pruned journal with 410 changeTokenExpired, and serves a newer one", async () => {
    const first = await report({ changes: [{ item: "a", kind: "add" }] });
    const second = await report({ changes: [{ item: "b", kind: "add" }] });
    t.clock.advance(31 * 24 * 3600_000);
    await report({ changes: [{ item: "c", kind: "add" }] });
    await t.nudge.services.feed.prune(resource);

    const expired = await feed(`?token=${encodeURIComponent(first.body.token)}`);
    expect(expired.status).toBe(410);
    expect(expired.body.error.code).toBe("changeTokenExpired");
    const served = await feed(`?token=${encodeURIComponent(second.body.token)}`);
    expect(served.status).toBe(200);
    expect(served.body.value.map((c: Change) => c.item)).toEqual(["c"]);
  });
});
