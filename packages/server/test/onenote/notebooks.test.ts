import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { NotesClient } from "./notes-client.js";

describe("OneNote API: notebooks and sections", () => {
  let t: TestNudge;
  let alice: NotesClient;
  beforeEach(async () => {
    t = await startTestNudge();
    alice = NotesClient.oneNote(t);
  });
  afterEach(async () => {
    await t?.stop();
  });

  it("creates a notebook with the old API's field names and X-AuthenticatedUserId", async () => {
    const created = await alice.post("/notebooks", { name: "Work" });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-authenticateduserid")).toBe(t.demo.users.alice.id);
    expect(created.json).toEqual({
      "@odata.context": `${t.url}/api/v1.0/$metadata#me/notes/notebooks/$entity`,
      id: expect.stringMatching(/^0-[0-9a-f]{32}$/),
      name: "Work",
      createdTime: "2026-03-01T12:00:00.000Z",
      lastModifiedTime: "2026-03-01T12:00:00.000Z",
      isDefault: false,
      userRole: "Owner",
      isShared: false,
      sectionsUrl: `${t.url}/api/v1.0/me/notes/notebooks/${created.json.id}/sections`,
      links: {
        oneNoteClientUrl: { href: expect.stringMatching(/^onenote:http:/) },
        oneNoteWebUrl: { href: expect.stringMatching(/^http:/) },
      },
      self: `${t.url}/api/v1.0/me/notes/notebooks/${created.json.id}`,
    });
  });

  it("lists, gets, renames and deletes notebooks", async () => {
    const work = await alice.post("/notebooks", { name: "Work" });
    await alice.post("/notebooks", { name: "Home" });
    const list = await alice.get("/notebooks");
    expect(list.status).toBe(200);
    expect(list.json.value.map((n: { name: string }) => n.name)).toEqual(["Home", "Work"]);
    expect((await alice.get(`/notebooks/${work.json.id}`)).json.name).toBe("Work");
    t.clock.advance(60_000);
    const renamed = await alice.patch(`/notebooks/${work.json.id}`, { name: "Office" });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: "Office", lastModifiedTime: "2026-03-01T12:01:00.000Z" });
    const deleted = await alice.delete(`/notebooks/${work.json.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.headers.get("x-authenticateduserid")).toBe(t.demo.users.alice.id);
    expect((await alice.get(`/notebooks/${work.json.id}`)).status).toBe(404);
    expect((await alice.get("/notebooks")).json.value.map((n: { name: string }) => n.name)).toEqual(["Home"]);
  });

  it("creates sections in a notebook, with their parent notebook", async () => {
    const nb = await alice.post("/notebooks", { name: "Work" });
    const section = await alice.post(`/notebooks/${nb.json.id}/sections`, { name: "Meetings" });
    expect(section.status).toBe(201);
    expect(section.json).toEqual({
      "@odata.context": `${t.url}/api/v1.0/$metadata#me/notes/sections/$entity`,
      id: expect.any(String),
      name: "Meetings",
      createdTime: "2026-03-01T12:00:00.000Z",
      lastModifiedTime: "2026-03-01T12:00:00.000Z",
      isDefault: false,
      pagesUrl: `${t.url}/api/v1.0/me/notes/sections/${section.json.id}/pages`,
      self: `${t.url}/api/v1.0/me/notes/sections/${section.json.id}`,
      parentNotebook: {
        id: nb.json.id,
        name: "Work",
        self: `${t.url}/api/v1.0/me/notes/notebooks/${nb.json.id}`,
      },
    });
    const inNotebook = await alice.get(`/notebooks/${nb.json.id}/sections`);
    expect(inNotebook.json.value.map((s: { id: string }) => s.id)).toEqual([section.json.id]);
    expect((await alice.get("/sections")).json.value).toHaveLength(1);
    expect((await alice.get(`/sections/${section.json.id}`)).json.name).toBe("Meetings");
  });

  it("renames and deletes a section", async () => {
    const { sectionId } = await alice.notebookWithSection();
    const renamed = await alice.patch(`/sections/${sectionId}`, { name: "Calls" });
    expect(renamed.json.name).toBe("Calls");
    expect((await alice.delete(`/sections/${sectionId}`)).status).toBe(204);
    expect((await alice.get("/sections")).json.value).toEqual([]);
  });

  it("deletes a notebook with its sections and pages", async () => {
    const { notebookId, sectionId } = await alice.notebookWithSection();
    const pageId = await alice.addPage(sectionId, "Standup");
    expect((await alice.delete(`/notebooks/${notebookId}`)).status).toBe(204);
    expect((await alice.get(`/sections/${sectionId}`)).status).toBe(404);
    expect((await alice.get(`/pages/${pageId}`)).status).toBe(404);
    expect((await alice.get("/pages")).json.value).toEqual([]);
  });

  it("refuses a second notebook with the same name, whatever its case", async () => {
    await alice.post("/notebooks", { name: "Work" });
    const again = await alice.post("/notebooks", { name: "WORK" });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("nameAlreadyExists");
    expect((await alice.get("/notebooks")).json.value).toHaveLength(1);
  });

  it("applies select to reads only, so a write is never refused after it was stored", async () => {
    const created = await alice.post("/notebooks?select=bogus", { name: "Work" });
    expect(created.status).toBe(201);
    expect(created.json.name).toBe("Work");
    const read = await alice.get(`/notebooks/${created.json.id}?select=id,name`);
    expect(read.json).toEqual({ "@odata.context": expect.any(String), id: created.json.id, name: "Work" });
  });

  it("keeps each user's notebooks apart", async () => {
    const nb = await alice.post("/notebooks", { name: "Private" });
    const bob = NotesClient.oneNote(t, "bob");
    expect((await bob.get("/notebooks")).json.value).toEqual([]);
    const peek = await bob.get(`/notebooks/${nb.json.id}`);
    expect(peek.status).toBe(404);
    expect(peek.headers.get("x-authenticateduserid")).toBe(t.demo.users.bob.id);
  });
});
