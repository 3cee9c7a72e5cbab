import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { driveClient, type DriveClient } from "./client.js";

const ME = "/v1.0/me/drive";

describe("Graph drive items", () => {
  let t: TestNudge;
  let alice: DriveClient;
  afterEach(async () => {
    await t?.stop();
  });

  async function start(config?: Parameters<typeof startTestNudge>[0]) {
    t = await startTestNudge(config);
    alice = driveClient(t, "alice");
  }

  it("serves the caller's drive with its owner", async () => {
    await start();
    const drive = await alice.get(ME);
    expect(drive.status).toBe(200);
    expect(drive.json).toMatchObject({
      id: expect.any(String),
      driveType: "personal",
      owner: { user: { id: t.demo.users.alice.id, displayName: "alice" } },
    });
    const root = await alice.get(`${ME}/root`);
    expect(root.json).toMatchObject({
      name: "root",
      root: {},
      folder: { childCount: 0 },
      parentReference: { driveId: drive.json.id },
    });
  });

  it("creates the missing parent folders of an upload", async () => {
    await start();
    const put = await alice.put(`${ME}/root:/docs/2026/notes.txt:/content`, "hello");
    expect(put.status).toBe(201);
    expect(put.json).toMatchObject({
      name: "notes.txt",
      size: 5,
      file: { mimeType: "text/plain" },
      eTag: expect.any(String),
      cTag: expect.any(String),
      createdDateTime: "2026-03-01T12:00:00.000Z",
      lastModifiedDateTime: "2026-03-01T12:00:00.000Z",
      parentReference: { path: "/drive/root:/docs/2026" },
    });
    const docs = await alice.get(`${ME}/root:/docs`);
    expect(docs.json).toMatchObject({ name: "docs", folder: { childCount: 1 }, size: 5 });
    const year = await alice.get(`${ME}/root:/docs/2026:`);
    expect(year.json.id).toBe(put.json.parentReference.id);
    expect((await alice.get(`${ME}/items/${year.json.id}/children`)).json.value.map(nameOf)).toEqual([
      "notes.txt",
    ]);
  });

  it("lists a folder's children by name, by path or by id", async () => {
    await start();
    for (const name of ["b.txt", "a.txt", "C.txt"]) await alice.put(`${ME}/root:/f/${name}:/content`, name);
    const byPath = await alice.get(`${ME}/root:/f:/children`);
    expect(byPath.json.value.map(nameOf)).toEqual(["a.txt", "b.txt", "C.txt"]);
    const folder = await alice.get(`${ME}/root:/f`);
    const byId = await alice.get(`${ME}/items/${folder.json.id}/children`);
    expect(byId.json.value.map(nameOf)).toEqual(["a.txt", "b.txt", "C.txt"]);
    expect((await alice.get(`${ME}/root/children`)).json.value.map(nameOf)).toEqual(["f"]);
  });

  it("takes any content type as the raw bytes of the file and gives them back", async () => {
    await start();
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    for (const [name, body, type] of [
      ["blob.bin", bytes, "application/octet-stream"],
      ["data.json", '{"not":"parsed"}', "application/json"],
      ["plain.txt", "just text", "text/plain"],
    ] as const) {
      expect((await alice.put(`${ME}/root:/${name}:/content`, body, type)).status).toBe(201);
      const download = await fetch(`${t.url}${ME}/root:/${name}:/content`, { headers: t.auth.alice });
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.from(body));
    }
  });

  it("replaces an existing file (200), with a new eTag and cTag", async () => {
    await start();
    const first = await alice.put(`${ME}/root:/a.txt:/content`, "one");
    const second = await alice.put(`${ME}/root:/a.txt:/content`, "three");
    expect(second.status).toBe(200);
    expect(second.json.id).toBe(first.json.id);
    expect(second.json.size).toBe(5);
    expect(second.json.eTag).not.toBe(first.json.eTag);
    expect(second.json.cTag).not.toBe(first.json.cTag);
  });

  it("uploads into a folder named by id: PUT /items/{parent-id}:/{name}:/content", async () => {
    await start();
    const folder = await alice.post(`${ME}/root/children`, { name: "inbox", folder: {} });
    const put = await alice.put(`${ME}/items/${folder.json.id}:/mail.txt:/content`, "hi");
    expect(put.status).toBe(201);
    expect(put.json.parentReference).toMatchObject({ id: folder.json.id, path: "/drive/root:/inbox" });
  });

  it("creates a folder with POST children; a clash fails with 409 nameAlreadyExists unless told to rename", async () => {
    await start();
    const created = await alice.post(`${ME}/root/children`, { name: "Photos", folder: {} });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Photos", folder: { childCount: 0 } });
    const clash = await alice.post(`${ME}/root/children`, {
      name: "photos",
      folder: {},
      "@microsoft.graph.conflictBehavior": "fail",
    });
    expect(clash.status).toBe(409);
    expect(clash.json.error).toMatchObject({ code: "nameAlreadyExists", innerError: expect.any(Object) });
    const renamed = await alice.post(`${ME}/root/children`, {
      name: "Photos",
      folder: {},
      "@microsoft.graph.conflictBehavior": "rename",
    });
    expect(renamed.json.name).toBe("Photos 1");
    const inside = await alice.post(`${ME}/items/${created.json.id}/children`, { name: "2026", folder: {} });
    expect(inside.json.parentReference.path).toBe("/drive/root:/Photos");
  });

  it("renames and moves with PATCH", async () => {
    await start();
    const file = await alice.put(`${ME}/root:/a/old.txt:/content`, "x");
    const target = await alice.post(`${ME}/root/children`, { name: "b", folder: {} });
    const renamed = await alice.patch(`${ME}/items/${file.json.id}`, { name: "new.txt" });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id: file.json.id, name: "new.txt" });
    const moved = await alice.patch(`${ME}/items/${file.json.id}`, {
      parentReference: { id: target.json.id },
    });
    expect(moved.json.parentReference).toMatchObject({ id: target.json.id, path: "/drive/root:/b" });
    expect((await alice.get(`${ME}/root:/b/new.txt`)).json.id).toBe(file.json.id);
    expect((await alice.get(`${ME}/root:/a/old.txt`)).status).toBe(404);
    const byPath = await alice.patch(`${ME}/items/${file.json.id}`, {
      parentReference: { path: "/drive/root:/a" },
    });
    expect(byPath.json.parentReference.path).toBe("/drive/root:/a");
  });

  it("refuses to move a folder into itself or below it (400)", async () => {
    await start();
    await alice.put(`${ME}/root:/top/mid/leaf.txt:/content`, "x");
    const top = await alice.get(`${ME}/root:/top`);
    const mid = await alice.get(`${ME}/root:/top/mid`);
    for (const into of [top.json.id, mid.json.id]) {
      const answer = await alice.patch(`${ME}/items/${top.json.id}`, { parentReference: { id: into } });
      expect(answer.status).toBe(400);
      expect(answer.json.error.code).toBe("invalidRequest");
    }
    expect((await alice.get(`${ME}/root:/top/mid/leaf.txt`)).status).toBe(200);
  });

  it("refuses a rename onto a sibling's name (409)", async () => {
    await start();
    await alice.put(`${ME}/root:/one.txt:/content`, "1");
    const two = await alice.put(`${ME}/root:/two.txt:/content`, "2");
    const answer = await alice.patch(`${ME}/items/${two.json.id}`, { name: "ONE.txt" });
    expect(answer.status).toBe(409);
    expect(answer.json.error.code).toBe("nameAlreadyExists");
  });

  it("deletes a folder and everything below it (204)", async () => {
    await start();
    await alice.put(`${ME}/root:/gone/deeper/file.txt:/content`, "x");
    const gone = await alice.get(`${ME}/root:/gone`);
    const file = await alice.get(`${ME}/root:/gone/deeper/file.txt`);
    const answer = await alice.delete(`${ME}/items/${gone.json.id}`);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    expect((await alice.get(`${ME}/items/${gone.json.id}`)).status).toBe(404);
    expect((await alice.get(`${ME}/items/${file.json.id}`)).status).toBe(404);
    expect((await alice.get(`${ME}/root/children`)).json.value).toEqual([]);
  });

  it("answers an upload over server.bodyLimitBytes with 413 in Graph's shape, and stores nothing", async () => {
    await start({ config: { server: { bodyLimitBytes: 1024 } } });
    const answer = await alice.put(
      `${ME}/root:/big/file.bin:/content`,
      Buffer.alloc(2048, 1),
      "application/octet-stream",
    );
    expect(answer.status).toBe(413);
    expect(answer.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect(answer.json.error.innerError).toMatchObject({
      "request-id": expect.any(String),
      date: expect.any(String),
    });
    expect((await alice.get(`${ME}/root/children`)).json.value).toEqual([]);
    expect(
      (await alice.put(`${ME}/root:/small.bin:/content`, Buffer.alloc(512, 1), "application/octet-stream"))
        .status,
    ).toBe(201);
  });

  it("answers unknown ids and paths with 404 itemNotFound and malformed ones with 400, in Graph's shape", async () => {
    await start();
    await alice.put(`${ME}/root:/a.txt:/content`, "x");
    for (const path of [
      `${ME}/items/NOPE!42`,
      `${ME}/root:/missing.txt`,
      `${ME}/root:/a.txt/child:`,
      `${ME}/items/NOPE!42/children`,
    ]) {
      const answer = await alice.get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.json.error.code, path).toBe("itemNotFound");
    }
    for (const path of [`${ME}/root:/a//b.txt`, `${ME}/root:/a:/b:/c`]) {
      const answer = await alice.get(path);
      expect(answer.status, path).toBe(400);
      expect(answer.json.error.code, path).toBe("invalidRequest");
    }
    const badName = await alice.put(`${ME}/root:/what%3F.txt:/content`, "x");
    expect(badName.status).toBe(400);
    const notJson = await alice.post(`${ME}/root/children`, { name: 7, folder: {} });
    expect(notJson.status).toBe(400);
    const fileAsFolder = await alice.put(`${ME}/root:/a.txt/b.txt:/content`, "x");
    expect(fileAsFolder.status).toBe(409);
    expect((await alice.delete(`${ME}/root`)).status).toBe(400);
    expect((await alice.get(`${ME}/root/children`)).json.value.map(nameOf)).toEqual(["a.txt"]);
  });

  it("answers without a bearer token 401", async () => {
    await start();
    const answer = await driveClient(t, "anonymous").get(`${ME}/root`);
    expect(answer.status).toBe(401);
    expect(answer.json.error.code).toBe("InvalidAuthenticationToken");
  });

  it("hides alice's drive from bob (404) until she grants it, by drive id and by user id", async () => {
    await start();
    const bob = driveClient(t, "bob");
    const drive = (await alice.get(ME)).json;
    await alice.put(`${ME}/root:/shared.txt:/content`, "for bob");
    const byDrive = `/v1.0/drives/${drive.id}/root:/shared.txt`;
    const byUser = `/v1.0/users/${t.demo.users.alice.id}/drive/root/children`;
    for (const path of [byDrive, byUser]) {
      const answer = await bob.get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.json.error.code, path).toBe("itemNotFound");
    }
    expect((await bob.put(`/v1.0/drives/${drive.id}/root:/x.txt:/content`, "x")).status).toBe(404);
    const grant = await driveClient(t, "admin").post(`/admin/tenants/${t.demo.tenantId}/grants`, {
      resourceId: drive.id,
      userId: t.demo.users.bob.id,
    });
    expect(grant.status).toBe(204);
    expect((await bob.get(byDrive)).json.name).toBe("shared.txt");
    expect((await bob.get(byUser)).json.value.map(nameOf)).toEqual(["shared.txt"]);
    expect((await bob.get(`/v1.0/me/drive/root/children`)).json.value).toEqual([]);
  });
});

function nameOf(item: { name: string }): string {
  return item.name;
}
