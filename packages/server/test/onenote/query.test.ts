import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { NotesClient } from "./notes-client.js";

type Page = { id: string; title: string; lastModifiedTime: string };

describe("OneNote page queries", () => {
  let t: TestNudge;
  let alice: NotesClient;
  let sectionId: string;
  beforeEach(async () => {
    t = await startTestNudge();
    alice = NotesClient.oneNote(t);
    ({ sectionId } = await alice.notebookWithSection());
  });
  afterEach(async () => {
    await t?.stop();
  });

  /** Pages p0 … p{n-1}, one a minute. */
  async function pages(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(await alice.addPage(sectionId, `p${i}`));
      t.clock.advance(MINUTE);
    }
    return ids;
  }

  it("returns exactly the pages changed since a stored lastModifiedTime", async () => {
    const [a, b, c] = await pages(3);
    // The seed's loop: keep the newest lastModifiedTime seen, ask for what changed since.
    const stored = ((await alice.get("/pages")).json.value as Page[])[0]!.lastModifiedTime;
    t.clock.advance(MINUTE);
    await alice.patch(`/pages/${a}/content`, [{ target: "body", action: "append", content: "<p>x</p>" }]);
    t.clock.advance(MINUTE);
    await alice.patch(`/pages/${b}/content`, [{ target: "title", action: "replace", content: "p1'" }]);
    const since = await alice.get(`/pages?filter=${encodeURIComponent(`lastModifiedTime ge ${stored}`)}`);
    expect(since.status).toBe(200);
    // `ge` includes the page last seen at exactly the stored time (c), as OneNote's does.
    expect((since.json.value as Page[]).map((p) => p.id)).toEqual([b, a, c]);
    const after = await alice.get(`/pages?filter=lastModifiedTime gt ${stored}`);
    expect((after.json.value as Page[]).map((p) => p.id)).toEqual([b, a]);
  });

  it("pages through results with top, skip and an absolute @odata.nextLink", async () => {
    const ids = await pages(5);
    const first = await alice.get("/pages?filter=lastModifiedTime ge 2026-03-01T00:00:00Z&top=2");
    expect((first.json.value as Page[]).map((p) => p.id)).toEqual([ids[4], ids[3]]);
    const next = first.json["@odata.nextLink"] as string;
    expect(next.startsWith(`${t.url}/api/v1.0/me/notes/pages?`)).toBe(true);
    const second = await alice.get(next);
    expect((second.json.value as Page[]).map((p) => p.id)).toEqual([ids[2], ids[1]]);
    const third = await alice.get(second.json["@odata.nextLink"] as string);
    expect((third.json.value as Page[]).map((p) => p.id)).toEqual([ids[0]]);
    expect(third.json).not.toHaveProperty("@odata.nextLink");
  });

  it("pages through lastModifiedTime ge a time in the middle: exactly the pages modified from then on", async () => {
    const ids = await pages(8);
    // p3 was last modified at 12:03; p0 … p2 before it.
    const ge = encodeURIComponent("lastModifiedTime ge 2026-03-01T12:03:00Z");
    const seen: string[] = [];
    let next: string | undefined = `/pages?filter=${ge}&top=2`;
    while (next) {
      const res = await alice.get(next);
      expect(res.status).toBe(200);
      seen.push(...(res.json.value as Page[]).map((p) => p.id));
      next = res.json["@odata.nextLink"] as string | undefined;
    }
    expect(seen).toEqual(ids.slice(3).reverse());
  });

  it("returns 20 pages by default, newest change first, with a nextLink for the rest", async () => {
    const ids = await pages(21);
    const first = await alice.get("/pages");
    expect(first.json.value).toHaveLength(20);
    expect(first.json.value[0].id).toBe(ids[20]);
    const rest = await alice.get(first.json["@odata.nextLink"] as string);
    expect((rest.json.value as Page[]).map((p) => p.id)).toEqual([ids[0]]);
  });

  it("orders by title or createdTime, ascending or descending", async () => {
    await alice.addPage(sectionId, "b");
    t.clock.advance(MINUTE);
    await alice.addPage(sectionId, "c");
    t.clock.advance(MINUTE);
    await alice.addPage(sectionId, "a");
    const titles = async (query: string) =>
      ((await alice.get(`/pages?${query}`)).json.value as Page[]).map((p) => p.title);
    expect(await titles("orderby=title")).toEqual(["a", "b", "c"]);
    expect(await titles("orderby=title desc")).toEqual(["c", "b", "a"]);
    expect(await titles("orderby=createdTime asc")).toEqual(["b", "c", "a"]);
  });

  it("combines conditions with and", async () => {
    const ids = await pages(4);
    const window = await alice.get(
      "/pages?filter=lastModifiedTime ge 2026-03-01T12:01:00Z and lastModifiedTime lt 2026-03-01T12:03:00Z&orderby=lastModifiedTime asc",
    );
    expect((window.json.value as Page[]).map((p) => p.id)).toEqual([ids[1], ids[2]]);
  });

  it("returns only the selected properties", async () => {
    await pages(1);
    const selected = await alice.get("/pages?select=id,title");
    expect(Object.keys(selected.json.value[0])).toEqual(["id", "title"]);
  });

  it("accepts Graph's $filter with lastModifiedDateTime, and $top with a $skip nextLink", async () => {
    const ids = await pages(3);
    const graph = NotesClient.graph(t);
    const first = await graph.get("/pages?$filter=lastModifiedDateTime ge 2026-03-01T12:01:00Z&$top=1");
    expect(first.status).toBe(200);
    expect((first.json.value as Array<{ id: string }>).map((p) => p.id)).toEqual([ids[2]]);
    const next = first.json["@odata.nextLink"] as string;
    expect(next).toContain("%24skip=1");
    const second = await graph.get(next);
    expect((second.json.value as Array<{ id: string }>).map((p) => p.id)).toEqual([ids[1]]);
    expect(second.json).not.toHaveProperty("@odata.nextLink");
  });

  it("refuses the old property names on Graph", async () => {
    const graph = NotesClient.graph(t);
    const wrong = await graph.get("/pages?$filter=lastModifiedTime ge 2026-03-01T00:00:00Z");
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.message).toContain("lastModifiedDateTime");
  });
});
