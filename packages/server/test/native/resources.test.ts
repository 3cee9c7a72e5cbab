import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { clientsOf, createResource, type Api } from "./api.js";

describe("native resources", () => {
  let t: TestNudge;
  let alice: Api;
  let bob: Api;
  let admin: Api;
  beforeEach(async () => {
    t = await startTestNudge();
    ({ alice, bob, admin } = clientsOf(t));
  });
  afterEach(async () => {
    await t?.stop();
  });

  it("creates an external resource and answers 201 with it", async () => {
    const created = await alice.post("/v1/resources", { title: "Orders" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      kind: "external",
      title: "Orders",
      ownerId: t.demo.users.alice.id,
      createdDateTime: "2026-03-01T12:00:00.000Z",
      modifiedDateTime: "2026-03-01T12:00:00.000Z",
    });
  });

  it("gets a resource by id", async () => {
    const id = await createResource(alice, "Orders");
    const got = await alice.get(`/v1/resources/${id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id, kind: "external", title: "Orders" });
  });

  it("lists the resources the caller can see", async () => {
    const first = await createResource(alice, "Orders");
    const second = await createResource(alice, "Invoices");
    await createResource(bob, "Bob's own");
    const listed = await alice.get("/v1/resources");
    expect(listed.status).toBe(200);
    expect(listed.body.value.map((r: { id: string }) => r.id).sort()).toEqual([first, second].sort());
  });

  it("answers 404 resourceNotFound for an id that does not exist", async () => {
    const got = await alice.get("/v1/resources/00000000-0000-0000-0000-000000000000");
    expect(got.status).toBe(404);
    expect(got.body).toEqual({ error: { code: "resourceNotFound", message: expect.any(String) } });
  });

  it("hides alice's resource from bob: 404, and not in his list", async () => {
    const id = await createResource(alice, "Private");
    const got = await bob.get(`/v1/resources/${id}`);
    expect(got.status).toBe(404);
    expect(got.body.error.code).toBe("resourceNotFound");
    expect((await bob.get("/v1/resources")).body.value).toEqual([]);
  });

  it("shows alice's resource to bob after an admin grant", async () => {
    const id = await createResource(alice, "Shared");
    const granted = await admin.post(`/admin/tenants/${t.demo.tenantId}/grants`, {
      resourceId: id,
      userId: t.demo.users.bob.id,
    });
    expect(granted.status).toBe(204);
    expect((await bob.get(`/v1/resources/${id}`)).status).toBe(200);
    expect((await bob.get("/v1/resources")).body.value.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it("lets the owner share a resource with bob, and only the owner", async () => {
    const id = await createResource(alice, "Shared by alice");
    const byBob = await bob.post(`/v1/resources/${id}/grants`, { userId: t.demo.users.bob.id });
    expect(byBob.status).toBe(404);
    const shared = await alice.post(`/v1/resources/${id}/grants`, { userId: t.demo.users.bob.id });
    expect(shared.status).toBe(204);
    expect((await bob.get(`/v1/resources/${id}`)).status).toBe(200);
    const reshared = await bob.post(`/v1/resources/${id}/grants`, { userId: t.demo.users.alice.id });
    expect(reshared.status).toBe(403);
    expect(reshared.body.error.code).toBe("forbidden");
    const nobody = await alice.post(`/v1/resources/${id}/grants`, { userId: "no-such-user" });
    expect(nobody.status).toBe(404);
    expect(nobody.body.error.code).toBe("userNotFound");
  });

  it("refuses to create a resource of another kind than external, naming the field", async () => {
    const refused = await alice.post("/v1/resources", { title: "Docs", kind: "sharepoint-list" });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalidRequest");
    expect(refused.body.error.message).toContain("kind");
    expect((await alice.get("/v1/resources")).body.value).toEqual([]);
  });

  it("refuses an empty title and one longer than 256 characters", async () => {
    for (const title of ["", "x".repeat(257)]) {
      const refused = await alice.post("/v1/resources", { title });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain("title");
    }
    expect((await alice.get("/v1/resources")).body.value).toEqual([]);
  });
});
