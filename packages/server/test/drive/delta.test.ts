import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { driveClient, type DriveClient } from "./client.js";

const ME = "/v1.0/me/drive";

interface DeltaItem {
  id: string;
  name?: string;
  deleted?: Record<string, never>;
  [key: string]: unknown;
}

interface DeltaPage {
  value: DeltaItem[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

/** Follows nextLinks to the end of a round; returns the pages and the round's deltaLink. */
async function round(client: DriveClient, url: string): Promise<{ pages: DeltaPage[]; deltaLink: string }> {
  const pages: DeltaPage[] = [];
  for (let next: string | undefined = url; next;) {
    const answer = await client.get(next);
    expect(answer.status, next).toBe(200);
    pages.push(answer.json as DeltaPage);
    next = answer.json["@odata.nextLink"];
    if (!next) return { pages, deltaLink: answer.json["@odata.deltaLink"] };
    expect(answer.json["@odata.deltaLink"]).toBeUndefined();
  }
  throw new Error("unreachable");
}

const itemsOf = (pages: DeltaPage[]) => pages.flatMap((p) => p.value);
const namesOf = (items: DeltaItem[]) => items.map((i) => i.name).sort();

describe("Graph drive delta", () => {
  let t: TestNudge;
  let alice: DriveClient;
  afterEach(async () => {
    await t?.stop();
  });

  async function start(config?: Parameters<typeof startTestNudge>[0]) {
    t = await startTestNudge(config);
    alice = driveClient(t, "alice");
  }

  it("enumerates every item first, paged by $top with nextLinks and a deltaLink on the last page", async () => {
    await start();
    for (const name of ["1.txt", "2.txt", "3.txt", "4.txt"])
      await alice.put(`${ME}/root:/f/${name}:/content`, name);
    const { pages, deltaLink } = await round(alice, `${ME}/root/delta?$top=2`);
    expect(pages.map((p) => p.value.length)).toEqual([2, 2, 2]);
    const items = itemsOf(pages);
    expect(namesOf(items)).toEqual(["1.txt", "2.txt", "3.txt", "4.txt", "f", "root"]);
    expect(new Set(items.map((i) => i.id)).size).toBe(6);
    // Parents come before what is inside them.
    expect(items[0]).toMatchObject({ name: "root", root: {} });
    expect(items[1]!.name).toBe("f");
    expect(deltaLink).toMatch(new RegExp(`^${t.url}/v1\\.0/me/drive/root/delta\\?.*token=`));
    expect(pages[0]!["@odata.nextLink"]).toMatch(new RegExp(`^${t.url}/v1\\.0/me/drive/root/delta\\?`));
  });

  it("returns from a deltaLink exactly the items changed since, each once, deleted ones with deleted: {}", async () => {
    await start();
    const keep = await alice.put(`${ME}/root:/keep.txt:/content`, "same");
    const edit = await alice.put(`${ME}/root:/edit.txt:/content`, "v1");
    const rename = await alice.put(`${ME}/root:/rename.txt:/content`, "r");
    const move = await alice.put(`${ME}/root:/move.txt:/content`, "m");
    const doomed = await alice.put(`${ME}/root:/doomed.txt:/content`, "d");
    const target = await alice.post(`${ME}/root/children`, { name: "target", folder: {} });
    const { deltaLink } = await round(alice, `${ME}/root/delta`);

    const added = await alice.put(`${ME}/root:/added.txt:/content`, "new");
    await alice.put(`${ME}/root:/edit.txt:/content`, "v2");
    await alice.put(`${ME}/root:/edit.txt:/content`, "v3");
    await alice.patch(`${ME}/items/${rename.json.id}`, { name: "renamed.txt" });
    await alice.patch(`${ME}/items/${move.json.id}`, { parentReference: { id: target.json.id } });
    await alice.delete(`${ME}/items/${doomed.json.id}`);

    const { pages, deltaLink: next } = await round(alice, deltaLink);
    const items = itemsOf(pages);
    expect(items.map((i) => i.id).sort()).toEqual(
      [added.json.id, edit.json.id, rename.json.id, move.json.id, doomed.json.id].sort(),
    );
    const byId = new Map(items.map((i) => [i.id, i]));
    expect(byId.get(edit.json.id)).toMatchObject({
      name: "edit.txt",
      size: 2,
      file: { mimeType: "text/plain" },
    });
    expect(byId.get(rename.json.id)!.name).toBe("renamed.txt");
    expect(byId.get(move.json.id)!.parentReference).toMatchObject({ id: target.json.id });
    expect(byId.get(doomed.json.id)).toEqual({
      id: doomed.json.id,
      name: "doomed.txt",
      deleted: {},
      parentReference: {
        driveId: expect.any(String),
        driveType: "personal",
        id: doomed.json.parentReference.id,
      },
    });
    expect(items.some((i) => i.id === keep.json.id)).toBe(false);
    expect((await round(alice, next)).pages.flatMap((p) => p.value)).toEqual([]);
  });

  it("reports every item below a deleted folder as deleted", async () => {
    await start();
    await alice.put(`${ME}/root:/box/inner/a.txt:/content`, "a");
    const box = await alice.get(`${ME}/root:/box`);
    const { deltaLink } = await round(alice, `${ME}/root/delta`);
    await alice.delete(`${ME}/items/${box.json.id}`);
    const items = itemsOf((await round(alice, deltaLink)).pages);
    expect(namesOf(items)).toEqual(["a.txt", "box", "inner"]);
    expect(items.every((i) => i.deleted !== undefined)).toBe(true);
  });

  it("answers token=latest with no items and a deltaLink that returns only what changes after", async () => {
    await start();
    await alice.put(`${ME}/root:/before.txt:/content`, "b");
    const latest = await alice.get(`${ME}/root/delta?token=latest`);
    expect(latest.status).toBe(200);
    expect(latest.json.value).toEqual([]);
    expect(latest.json["@odata.nextLink"]).toBeUndefined();
    const after = await alice.put(`${ME}/root:/after.txt:/content`, "a");
    const items = itemsOf((await round(alice, latest.json["@odata.deltaLink"])).pages);
    expect(items.map((i) => i.id)).toEqual([after.json.id]);
  });

  it("keeps a round's pages stable while a change arrives mid-round; the change comes in the next round", async () => {
    await start();
    const names = ["a", "b", "c", "d", "e", "f"].map((n) => `${n}.txt`);
    for (const name of names) await alice.put(`${ME}/root:/${name}:/content`, "1");
    const { deltaLink } = await round(alice, `${ME}/root/delta`);
    for (const name of names) await alice.put(`${ME}/root:/${name}:/content`, "2");

    const first = await alice.get(`${deltaLink}&$top=2`);
    expect(first.json.value).toHaveLength(2);
    // Mid-round: a new file, and an edit of one already returned.
    const late = await alice.put(`${ME}/root:/late.txt:/content`, "late");
    await alice.put(`${ME}/root:/${first.json.value[0].name}:/content`, "3");
    const rest = await round(alice, first.json["@odata.nextLink"]);
    const items = [...first.json.value, ...itemsOf(rest.pages)] as DeltaItem[];
    expect(namesOf(items)).toEqual(names);
    expect(new Set(items.map((i) => i.id)).size).toBe(names.length);
    const next = itemsOf((await round(alice, rest.deltaLink)).pages);
    expect(namesOf(next)).toEqual([first.json.value[0].name, "late.txt"].sort());
    expect(next.some((i) => i.id === late.json.id)).toBe(true);
  });

  it("keeps a first enumeration stable while items are deleted and added mid-round", async () => {
    await start();
    const names = ["a", "b", "c", "d", "e"].map((n) => `${n}.txt`);
    const ids: string[] = [];
    for (const name of names) ids.push((await alice.put(`${ME}/root:/${name}:/content`, "1")).json.id);
    const first = await alice.get(`${ME}/root/delta?$top=2`);
    await alice.delete(`${ME}/items/${ids[0]}`);
    const late = await alice.put(`${ME}/root:/late.txt:/content`, "late");
    const rest = await round(alice, first.json["@odata.nextLink"]);
    const seen = [...first.json.value, ...itemsOf(rest.pages)] as DeltaItem[];
    expect(namesOf(seen)).toEqual(["a.txt", "b.txt", "c.txt", "d.txt", "e.txt", "root"]);
    const next = itemsOf((await round(alice, rest.deltaLink)).pages);
    expect(next.map((i) => i.id).sort()).toEqual([ids[0], late.json.id].sort());
    expect(next.find((i) => i.id === ids[0])!.deleted).toEqual({});
  });

  it("returns only the $select-ed properties, and always the id", async () => {
    await start();
    await alice.put(`${ME}/root:/s.txt:/content`, "s");
    const { pages, deltaLink } = await round(alice, `${ME}/root/delta?$select=name,size`);
    for (const item of itemsOf(pages)) expect(Object.keys(item).sort()).toEqual(["id", "name", "size"]);
    expect(deltaLink).toContain("$select=name%2Csize");
  });

  it("covers only a folder's subtree when asked on a folder", async () => {
    await start();
    await alice.put(`${ME}/root:/in/a.txt:/content`, "a");
    await alice.put(`${ME}/root:/out/b.txt:/content`, "b");
    const folder = await alice.get(`${ME}/root:/in`);
    const first = await round(alice, `${ME}/items/${folder.json.id}/delta`);
    expect(namesOf(itemsOf(first.pages))).toEqual(["a.txt", "in"]);
    await alice.put(`${ME}/root:/in/c.txt:/content`, "c");
    await alice.put(`${ME}/root:/out/d.txt:/content`, "d");
    expect(namesOf(itemsOf((await round(alice, first.deltaLink)).pages))).toEqual(["c.txt"]);
  });

  it("builds absolute links from the request's host", async () => {
    await start();
    const answer = await request(`${t.url}${ME}/root/delta?token=latest`, {
      headers: { ...t.auth.alice, host: "drive.example.test:4443" },
    });
    const body = (await answer.body.json()) as DeltaPage;
    expect(body["@odata.deltaLink"]).toMatch(
      /^http:\/\/drive\.example\.test:4443\/v1\.0\/me\/drive\/root\/delta\?token=/,
    );
  });

  it("answers a token older than the pruned journal with 410 resyncChangesApplyDifferences and a Location to start again", async () => {
    await start({ config: { journal: { retentionDays: 30 } } });
    await alice.put(`${ME}/root:/old.txt:/content`, "o");
    const { deltaLink } = await round(alice, `${ME}/root/delta?$select=name`);
    await alice.put(`${ME}/root:/old.txt:/content`, "changed");
    t.clock.advance(31 * DAY);
    await alice.put(`${ME}/root:/new.txt:/content`, "n");
    const pruned = await t.nudge.services.feed.prune();
    expect(pruned.changes).toBeGreaterThan(0);
    const gone = await alice.get(deltaLink);
    expect(gone.status).toBe(410);
    expect(gone.json.error).toMatchObject({
      code: "resyncChangesApplyDifferences",
      innerError: expect.any(Object),
    });
    const location = gone.headers.get("location")!;
    expect(location).toBe(`${t.url}${ME}/root/delta?$select=name`);
    const again = await round(alice, location);
    expect(namesOf(itemsOf(again.pages))).toEqual(["new.txt", "old.txt", "root"]);
    expect((await alice.get(again.deltaLink)).status).toBe(200);
  });

  it("still serves a token newer than the cut after pruning", async () => {
    await start({ config: { journal: { retentionDays: 30 } } });
    await alice.put(`${ME}/root:/old.txt:/content`, "o");
    t.clock.advance(31 * DAY);
    const latest = (await alice.get(`${ME}/root/delta?token=latest`)).json["@odata.deltaLink"];
    const fresh = await alice.put(`${ME}/root:/fresh.txt:/content`, "f");
    await t.nudge.services.feed.prune();
    const items = itemsOf((await round(alice, latest)).pages);
    expect(items.map((i) => i.id)).toEqual([fresh.json.id]);
  });

  it("answers a malformed token or one of another drive with 400", async () => {
    await start();
    const bob = driveClient(t, "bob");
    const bobs = (await bob.get(`${ME}/root/delta?token=latest`)).json["@odata.deltaLink"] as string;
    const token = new URL(bobs).searchParams.get("token")!;
    for (const bad of [token, "not-a-token", "eyJ2IjoxfQ", "%%%"]) {
      const answer = await alice.get(`${ME}/root/delta?token=${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.json.error, bad).toMatchObject({ code: "invalidRequest", message: expect.any(String) });
    }
    expect((await alice.get(`${ME}/root/delta?$top=0`)).status).toBe(400);
  });
});
