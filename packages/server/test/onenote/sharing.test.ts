import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { NotesClient } from "./notes-client.js";

describe("OneNote sharing: another user's notebooks", () => {
  let t: TestNudge;
  let alice: NotesClient;
  let bobOnAlice: NotesClient;
  beforeEach(async () => {
    t = await startTestNudge();
    alice = NotesClient.oneNote(t, "alice");
    bobOnAlice = NotesClient.oneNote(t, "bob", t.demo.users.alice.id);
  });
  afterEach(async () => {
    await t?.stop();
  });

  /** Alice shares her notebook container with Bob through the admin API. */
  async function shareWithBob(): Promise<void> {
    const principal = await t.nudge.services.identity.authenticate(t.demo.users.alice.token);
    const container = await t.nudge.services.resources.ensureOwn(principal, "notebook");
    const granted = await fetch(`${t.url}/admin/tenants/${t.demo.tenantId}/grants`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ resourceId: container.id, userId: t.demo.users.bob.id }),
    });
    expect(granted.status).toBeLessThan(300);
  }

  it("hides a user's notebooks from someone they are not shared with", async () => {
    const nb = await alice.post("/notebooks", { name: "Private" });
    const list = await bobOnAlice.get("/notebooks");
    expect(list.status).toBe(404);
    expect(list.headers.get("x-authenticateduserid")).toBe(t.demo.users.bob.id);
    expect((await NotesClient.oneNote(t, "bob").get(`/notebooks/${nb.json.id}`)).status).toBe(404);
    expect((await bobOnAlice.post("/notebooks", { name: "Intruder" })).status).toBe(404);
    expect((await alice.get("/notebooks")).json.value).toHaveLength(1);
  });

  it("answers 404 for a user who does not exist", async () => {
    const nobody = NotesClient.oneNote(t, "alice", "00000000-0000-0000-0000-000000000000");
    expect((await nobody.get("/notebooks")).status).toBe(404);
  });

  it("shows shared notebooks to the grantee under /users/{id}/notes, as a contributor", async () => {
    const nb = await alice.post("/notebooks", { name: "Team" });
    await shareWithBob();
    const list = await bobOnAlice.get("/notebooks");
    expect(list.status).toBe(200);
    expect(list.json.value).toEqual([
      expect.objectContaining({
        id: nb.json.id,
        name: "Team",
        userRole: "Contributor",
        isShared: true,
        self: `${t.url}/api/v1.0/users/${t.demo.users.alice.id}/notes/notebooks/${nb.json.id}`,
      }),
    ]);
  });

  it("includes notebooks shared with the caller under /me/notes, as a contributor", async () => {
    await alice.post("/notebooks", { name: "A-Team" });
    await shareWithBob();
    t.clock.advance(1000);
    const bob = NotesClient.oneNote(t, "bob");
    await bob.post("/notebooks", { name: "Z-Bob" });
    const list = await bob.get("/notebooks?orderby=createdTime asc");
    expect(list.json.value.map((n: { name: string; userRole: string }) => [n.name, n.userRole])).toEqual([
      ["A-Team", "Contributor"],
      ["Z-Bob", "Owner"],
    ]);
  });

  it("serves only the caller's own notebooks under /users/{their own id}/notes", async () => {
    await alice.post("/notebooks", { name: "Team" });
    await shareWithBob();
    const bob = NotesClient.oneNote(t, "bob");
    await bob.post("/notebooks", { name: "Bob's" });
    const own = await NotesClient.oneNote(t, "bob", t.demo.users.bob.id).get("/notebooks");
    expect(own.json.value.map((n: { name: string }) => n.name)).toEqual(["Bob's"]);
    expect((await bob.get("/notebooks")).json.value).toHaveLength(2);
  });

  it("lets the grantee add notebooks, sections and pages to the owner's notebooks", async () => {
    await shareWithBob();
    const { sectionId } = await bobOnAlice.notebookWithSection("From Bob", "S");
    await bobOnAlice.addPage(sectionId, "Bob's page");
    const pages = await alice.get("/pages");
    expect(pages.json.value.map((p: { title: string }) => p.title)).toEqual(["Bob's page"]);
    expect((await NotesClient.oneNote(t, "bob").get("/pages")).json.value).toHaveLength(1);
  });

  it("serves the same sharing through Graph's /v1.0/users/{id}/onenote", async () => {
    const nb = await alice.post("/notebooks", { name: "Team" });
    expect((await NotesClient.graph(t, "bob", t.demo.users.alice.id).get("/notebooks")).status).toBe(404);
    await shareWithBob();
    const list = await NotesClient.graph(t, "bob", t.demo.users.alice.id).get("/notebooks");
    expect(list.json.value.map((n: { id: string; displayName: string }) => [n.id, n.displayName])).toEqual([
      [nb.json.id, "Team"],
    ]);
  });
});
