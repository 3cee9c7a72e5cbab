import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { NotesClient, pageHtml } from "./notes-client.js";

describe("OneNote API: pages", () => {
  let t: TestNudge;
  let alice: NotesClient;
  let sectionId: string;
  beforeEach(async () => {
    t = await startTestNudge();
    alice = NotesClient.oneNote(t);
    ({ sectionId } = await alice.notebookWithSection("Work", "Meetings"));
  });
  afterEach(async () => {
    await t?.stop();
  });

  it("creates a page from an HTML document, with the old API's page fields", async () => {
    const created = await alice.post(
      `/sections/${sectionId}/pages`,
      pageHtml("Standup &amp; notes", "<p>Hi</p>"),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get("x-authenticateduserid")).toBe(t.demo.users.alice.id);
    const id = created.json.id as string;
    const self = `${t.url}/api/v1.0/me/notes/pages/${id}`;
    expect(created.json).toEqual({
      "@odata.context": `${t.url}/api/v1.0/$metadata#me/notes/pages/$entity`,
      id,
      title: "Standup & notes",
      createdTime: "2026-03-01T12:00:00.000Z",
      lastModifiedTime: "2026-03-01T12:00:00.000Z",
      createdByAppId: t.demo.app.clientId,
      contentUrl: `${self}/content`,
      links: { oneNoteClientUrl: { href: expect.any(String) }, oneNoteWebUrl: { href: expect.any(String) } },
      self,
      parentSection: {
        id: sectionId,
        name: "Meetings",
        self: `${t.url}/api/v1.0/me/notes/sections/${sectionId}`,
      },
      parentNotebook: { id: expect.any(String), name: "Work", self: expect.any(String) },
    });
  });

  it("returns the page content as HTML with its title and body", async () => {
    const id = await alice.addPage(sectionId, "Standup", "<p>Yesterday: <b>tests</b></p>");
    const content = await alice.get(`/pages/${id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toMatch(/^text\/html/);
    expect(content.headers.get("x-authenticateduserid")).toBe(t.demo.users.alice.id);
    expect(content.text).toContain("<title>Standup</title>");
    expect(content.text).toContain("<p>Yesterday: <b>tests</b></p>");
  });

  it("creates a page from JSON {title, content}", async () => {
    const created = await alice.post(`/sections/${sectionId}/pages`, { title: "Plan", content: "<p>A</p>" });
    expect(created.status).toBe(201);
    expect(created.json.title).toBe("Plan");
    expect((await alice.get(`/pages/${created.json.id}/content`)).text).toContain("<p>A</p>");
  });

  it("lists pages of a section and of all notebooks", async () => {
    const a = await alice.addPage(sectionId, "A");
    t.clock.advance(1000);
    const b = await alice.addPage(sectionId, "B");
    const inSection = await alice.get(`/sections/${sectionId}/pages`);
    expect(inSection.json.value.map((p: { id: string }) => p.id)).toEqual([b, a]);
    const all = await alice.get("/pages");
    expect(all.json["@odata.context"]).toBe(`${t.url}/api/v1.0/$metadata#me/notes/pages`);
    expect(all.json.value.map((p: { title: string }) => p.title)).toEqual(["B", "A"]);
  });

  it("appends to the body and replaces the title with PATCH content, moving lastModifiedTime", async () => {
    const id = await alice.addPage(sectionId, "Draft", "<p>one</p>");
    t.clock.advance(5 * 60_000);
    const patched = await alice.patch(`/pages/${id}/content`, [
      { target: "body", action: "append", content: "<p>two</p>" },
      { target: "title", action: "replace", content: "Final" },
    ]);
    expect(patched.status).toBe(204);
    expect(patched.headers.get("x-authenticateduserid")).toBe(t.demo.users.alice.id);
    const page = await alice.get(`/pages/${id}`);
    expect(page.json).toMatchObject({
      title: "Final",
      createdTime: "2026-03-01T12:00:00.000Z",
      lastModifiedTime: "2026-03-01T12:05:00.000Z",
    });
    const content = await alice.get(`/pages/${id}/content`);
    expect(content.text).toContain("<p>one</p><p>two</p>");
  });

  it("replaces and prepends body content", async () => {
    const id = await alice.addPage(sectionId, "Draft", "<p>old</p>");
    await alice.patch(`/pages/${id}/content`, [{ target: "body", action: "replace", content: "<p>new</p>" }]);
    await alice.patch(`/pages/${id}/content`, [
      { target: "body", action: "append", position: "before", content: "<h1>top</h1>" },
    ]);
    const content = await alice.get(`/pages/${id}/content`);
    expect(content.text).toContain('<body data-absolute-enabled="true"><h1>top</h1><p>new</p></body>');
  });

  it("moves the section's and notebook's lastModifiedTime with a page change", async () => {
    const id = await alice.addPage(sectionId, "Draft");
    t.clock.advance(60_000);
    await alice.patch(`/pages/${id}/content`, [{ target: "body", action: "append", content: "<p>x</p>" }]);
    const section = await alice.get(`/sections/${sectionId}`);
    expect(section.json.lastModifiedTime).toBe("2026-03-01T12:01:00.000Z");
    expect((await alice.get(`/notebooks/${section.json.parentNotebook.id}`)).json.lastModifiedTime).toBe(
      "2026-03-01T12:01:00.000Z",
    );
  });

  it("deletes a page, which then disappears from queries", async () => {
    const keep = await alice.addPage(sectionId, "Keep");
    const gone = await alice.addPage(sectionId, "Gone");
    const deleted = await alice.delete(`/pages/${gone}`);
    expect(deleted.status).toBe(204);
    expect((await alice.get(`/pages/${gone}`)).status).toBe(404);
    expect((await alice.get("/pages")).json.value.map((p: { id: string }) => p.id)).toEqual([keep]);
    expect(
      (await alice.get("/pages?filter=lastModifiedTime ge 2026-01-01T00:00:00Z")).json.value,
    ).toHaveLength(1);
  });

  it("journals every page write in the notebook container's change feed", async () => {
    const id = await alice.addPage(sectionId, "Draft");
    await alice.patch(`/pages/${id}/content`, [{ target: "title", action: "replace", content: "T" }]);
    await alice.delete(`/pages/${id}`);
    const principal = await t.nudge.services.identity.authenticate(t.demo.users.alice.token);
    const container = await t.nudge.services.resources.ensureOwn(principal, "notebook");
    const changes = await t.nudge.services.feed.page({ resourceId: container.id });
    expect(changes.filter((c) => c.itemKey === id).map((c) => c.kind)).toEqual(["add", "update", "delete"]);
  });
});
