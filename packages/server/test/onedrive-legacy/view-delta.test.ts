import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { driveClient, type DriveClient } from "../drive/client.js";

interface LegacyPage {
  value: Array<{ id: string; name: string; deleted?: object; [key: string]: unknown }>;
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
  "@delta.token": string;
}

describe("legacy OneDrive API: view.delta", () => {
  let t: TestNudge;
  let alice: DriveClient;
  afterEach(async () => {
    await t?.stop();
  });

  async function start() {
    t = await startTestNudge();
    alice = driveClient(t, "alice");
  }

  it("pages a first round with top and @delta.token, then returns exactly the later changes", async () => {
    await start();
    for (const name of ["a.txt", "b.txt", "c.txt"]) {
      expect((await alice.put(`/drive/root:/docs/${name}:/content`, name)).status).toBe(201);
    }
    const seen: LegacyPage["value"] = [];
    let token: string | undefined;
    let page: LegacyPage;
    do {
      const answer = await alice.get(`/drive/root/view.delta?top=2${token ? `&token=${token}` : ""}`);
      expect(answer.status).toBe(200);
      page = answer.json as LegacyPage;
      expect(page["@delta.token"]).toEqual(expect.any(String));
      seen.push(...page.value);
      token = page["@delta.token"];
    } while (page["@odata.nextLink"]);
    expect(page["@odata.deltaLink"]).toBe(`${t.url}/drive/root/view.delta?top=2&token=${token}`);
    expect(seen.map((i) => i.name).sort()).toEqual(["a.txt", "b.txt", "c.txt", "docs", "root"]);

    const b = seen.find((i) => i.name === "b.txt")!;
    await alice.put(`/drive/root:/docs/b.txt:/content`, "changed");
    const a = seen.find((i) => i.name === "a.txt")!;
    expect((await alice.delete(`/v1.0/me/drive/items/${a.id}`)).status).toBe(204);
    const changes = (await alice.get(`/drive/root/view.delta?token=${token}`)).json as LegacyPage;
    expect(changes.value.map((i) => [i.name, i.deleted !== undefined]).sort()).toEqual([
      ["a.txt", true],
      ["b.txt", false],
    ]);
    expect(changes.value.find((i) => i.name === "b.txt")).toMatchObject({ id: b.id, size: 7 });
    expect(changes["@odata.deltaLink"]).toContain(changes["@delta.token"]);
  });

  it("treats an empty token= as the start of a first round", async () => {
    await start();
    await alice.put(`/drive/root:/a.txt:/content`, "a");
    const page = (await alice.get(`/drive/root/view.delta?token=`)).json as LegacyPage;
    expect(page.value.map((i) => i.name).sort()).toEqual(["a.txt", "root"]);
  });

  it("answers an upload over server.bodyLimitBytes with 413 in Graph's shape, and stores nothing", async () => {
    t = await startTestNudge({ config: { server: { bodyLimitBytes: 100 } } });
    alice = driveClient(t, "alice");
    const answer = await alice.put(
      `/drive/root:/big/file.bin:/content`,
      Buffer.alloc(101),
      "application/octet-stream",
    );
    expect(answer.status).toBe(413);
    expect(answer.json.error).toMatchObject({ code: "requestTooLarge", innerError: expect.any(Object) });
    expect((await alice.get(`/drive/root/children`)).json.value).toEqual([]);
  });

  it("answers token=latest with only the current token", async () => {
    await start();
    await alice.put(`/drive/root:/old.txt:/content`, "o");
    const latest = (await alice.get(`/drive/root/view.delta?token=latest`)).json as LegacyPage;
    expect(latest.value).toEqual([]);
    expect(latest["@odata.nextLink"]).toBeUndefined();
    expect(latest["@odata.deltaLink"]).toContain(`token=${latest["@delta.token"]}`);
    await alice.put(`/drive/root:/new.txt:/content`, "n");
    const next = (await alice.get(`/drive/root/view.delta?token=${latest["@delta.token"]}`))
      .json as LegacyPage;
    expect(next.value.map((i) => i.name)).toEqual(["new.txt"]);
  });

  it("limits /drive/items/{id}/view.delta to that folder", async () => {
    await start();
    await alice.put(`/drive/root:/in/a.txt:/content`, "a");
    await alice.put(`/drive/root:/out/b.txt:/content`, "b");
    const folder = await alice.get(`/drive/root:/in`);
    const page = (await alice.get(`/drive/items/${folder.json.id}/view.delta`)).json as LegacyPage;
    expect(page.value.map((i) => i.name).sort()).toEqual(["a.txt", "in"]);
  });

  it("serves items in the legacy shape, and shares the drive with Graph", async () => {
    await start();
    const put = await alice.put(`/drive/root:/f/file.txt:/content`, "hello");
    expect(put.json).toMatchObject({
      name: "file.txt",
      size: 5,
      file: { mimeType: "text/plain" },
      parentReference: { path: "/drive/root:/f" },
    });
    expect(put.json.parentReference.driveType).toBeUndefined();
    const root = await alice.get(`/drive/root`);
    expect(root.json).toMatchObject({ name: "root", folder: { childCount: 1 } });
    expect((await alice.get(`/drive/items/${put.json.id}`)).json.name).toBe("file.txt");
    expect((await alice.get(`/drive/root:/f:/children`)).json.value.map((i: { id: string }) => i.id)).toEqual(
      [put.json.id],
    );
    const graph = await alice.get(`/v1.0/me/drive/items/${put.json.id}`);
    expect(graph.json).toMatchObject({ id: put.json.id, parentReference: { driveType: "personal" } });
    expect((await alice.get(`/drive`)).json.id).toBe((await alice.get(`/v1.0/me/drive`)).json.id);
  });

  it("is also served under /v1.0/drive, the legacy API's own base URL", async () => {
    await start();
    const put = await alice.put(`/v1.0/drive/root:/x.txt:/content`, "x");
    expect(put.status).toBe(201);
    const page = (await alice.get(`/v1.0/drive/root/view.delta`)).json as LegacyPage;
    expect(page["@delta.token"]).toEqual(expect.any(String));
    expect(page["@odata.deltaLink"]).toMatch(new RegExp(`^${t.url}/v1\\.0/drive/root/view\\.delta\\?token=`));
    expect(page.value.map((i) => i.name).sort()).toEqual(["root", "x.txt"]);
  });

  it("answers errors in Graph's shape: no token 401, unknown item 404, bad token 400, writes it does not have 405", async () => {
    await start();
    const anonymous = await driveClient(t, "anonymous").get(`/drive/root`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error).toMatchObject({
      code: "InvalidAuthenticationToken",
      innerError: expect.any(Object),
    });
    expect((await alice.get(`/drive/items/NOPE!1`)).json.error.code).toBe("itemNotFound");
    const bad = await alice.get(`/drive/root/view.delta?token=garbage`);
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe("invalidRequest");
    expect((await alice.delete(`/drive/root`)).status).toBe(405);
    expect((await alice.get(`/drive/nothing/here`)).status).toBe(404);
  });
});
