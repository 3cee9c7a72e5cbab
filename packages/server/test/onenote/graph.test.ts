import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { NotesClient, pageHtml } from "./notes-client.js";

describe("OneNote through Graph (/v1.0/me/onenote)", () => {
  let t: TestNudge;
  let alice: NotesClient;
  beforeEach(async () => {
    t = await startTestNudge();
    alice = NotesClient.graph(t);
  });
  afterEach(async () => {
    await t?.stop();
  });

  it("creates a notebook with Graph's field names", async () => {
    const created = await alice.post("/notebooks", { displayName: "Work" });
    expect(created.status).toBe(201);
    const id = created.json.id as string;
    const self = `${t.url}/v1.0/me/onenote/notebooks/${id}`;
    expect(created.json).toEqual({
      "@odata.context": `${t.url}/v1.0/$metadata#users('${t.demo.users.alice.id}')/onenote/notebooks/$entity`,
      id,
      self,
      displayName: "Work",
      createdDateTime: "2026-03-01T12:00:00.000Z",
      lastModifiedDateTime: "2026-03-01T12:00:00.000Z",
      createdBy: { user: { id: t.demo.users.alice.id } },
      lastModifiedBy: { user: { id: t.demo.users.alice.id } },
      isDefault: false,
      userRole: "Owner",
      isShared: false,
      sectionsUrl: `${self}/sections`,
      links: { oneNoteClientUrl: { href: expect.any(String) }, oneNoteWebUrl: { href: expect.any(String) } },
    });
  });

  it("creates sections and pages with displayName, title and parentSection", async () => {
    const { sectionId } = await alice.notebookWithSection("Work", "Meetings");
    const section = await alice.get(`/sections/${sectionId}`);
    expect(section.json).toMatchObject({ displayName: "Meetings", parentNotebook: { displayName: "Work" } });
    const page = await alice.post(`/sections/${sectionId}/pages`, pageHtml("Standup", "<p>Hi</p>"));
    expect(page.status).toBe(201);
    const self = `${t.url}/v1.0/me/onenote/pages/${page.json.id}`;
    expect(page.json).toMatchObject({
      id: expect.any(String),
      self,
      title: "Standup",
      createdDateTime: "2026-03-01T12:00:00.000Z",
      lastModifiedDateTime: "2026-03-01T12:00:00.000Z",
      createdByAppId: t.demo.app.clientId,
      contentUrl: `${self}/content`,
      parentSection: {
        id: sectionId,
        displayName: "Meetings",
        self: `${t.url}/v1.0/me/onenote/sections/${sectionId}`,
      },
    });
    expect(page.json).not.toHaveProperty("lastModifiedTime");
  });

  it("reads, patches and deletes a page", async () => {
    const { sectionId } = await alice.notebookWithSection();
    const id = await alice.addPage(sectionId, "Draft", "<p>a</p>");
    t.clock.advance(60_000);
    const patched = await alice.patch(`/pages/${id}/content`, [
      { target: "body", action: "append", content: "<p>b</p>" },
    ]);
    expect(patched.status).toBe(204);
    expect((await alice.get(`/pages/${id}`)).json.lastModifiedDateTime).toBe("2026-03-01T12:01:00.000Z");
    expect((await alice.get(`/pages/${id}/content`)).text).toContain("<p>a</p><p>b</p>");
    expect((await alice.delete(`/pages/${id}`)).status).toBe(204);
    expect((await alice.get("/pages")).json.value).toEqual([]);
  });

  it("shares one store with the old API: a Graph page in an old-API section is listed by both", async () => {
    const old = NotesClient.oneNote(t);
    const { sectionId } = await old.notebookWithSection("Shared", "S");
    await alice.addPage(sectionId, "From Graph");
    const pages = await old.get("/pages");
    expect(pages.json.value.map((p: { title: string }) => p.title)).toEqual(["From Graph"]);
    expect((await alice.get("/pages")).json.value.map((p: { title: string }) => p.title)).toEqual([
      "From Graph",
    ]);
  });

  it("answers a missing page in Graph's error shape", async () => {
    const missing = await alice.get("/pages/0-nope");
    expect(missing.status).toBe(404);
    expect(missing.json.error).toMatchObject({
      code: "itemNotFound",
      message: expect.stringContaining("0-nope"),
      innerError: { "request-id": expect.any(String), date: expect.any(String) },
    });
  });
});
