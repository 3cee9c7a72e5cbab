import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "../../src/clock.js";
import { Nudge } from "../../src/nudge.js";
import { startTestNudge, testConfig, type TestNudge } from "@nudge/test-support";
import { apiClient, clientsOf, type Api } from "../native/api.js";

describe("admin API", () => {
  let t: TestNudge | undefined;
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await t?.stop();
    await cleanup?.();
    t = undefined;
    cleanup = undefined;
  });

  async function start(): Promise<Api> {
    t = await startTestNudge();
    return clientsOf(t).admin;
  }

  it("answers 403 adminDisabled when no admin token is configured", async () => {
    // testConfig's merge ignores a null override (it keeps the test token), so set it here.
    const dir = mkdtempSync(join(tmpdir(), "nudge-admin-"));
    const nudge = await Nudge.open({
      config: { ...testConfig(dir), adminToken: null },
      clock: new FakeClock(),
    });
    await nudge.start();
    cleanup = async () => {
      await nudge.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer anything-at-all-1234567" },
    ]) {
      const refused = await apiClient(nudge.url, headers).post("/admin/tenants", { name: "Fabrikam" });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: { code: "adminDisabled", message: expect.any(String) } });
    }
  });

  it("answers 401 unauthenticated to a missing or wrong admin token", async () => {
    await start();
    const url = t!.url;
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer wrong-token" },
      { authorization: `Bearer ${t!.demo.users.alice.token}` },
    ]) {
      const refused = await apiClient(url, headers).get("/admin/tenants");
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe("unauthenticated");
    }
  });

  it("creates a tenant, an app, a user and a token, and the token works on /v1/resources", async () => {
    const admin = await start();
    const tenant = await admin.post("/admin/tenants", { name: "Fabrikam" });
    expect(tenant.status).toBe(201);
    expect(tenant.body).toEqual({
      id: expect.any(String),
      name: "Fabrikam",
      createdDateTime: "2026-03-01T12:00:00.000Z",
    });

    const app = await admin.post(`/admin/tenants/${tenant.body.id}/apps`, {
      name: "Orders app",
      webhookUrl: "https://hooks.example/orders",
    });
    expect(app.status).toBe(201);
    expect(app.body).toEqual({
      id: expect.any(String),
      clientId: expect.any(String),
      name: "Orders app",
      webhookUrl: "https://hooks.example/orders",
      rootDomain: null,
      secret: expect.stringMatching(/^nsec_/),
    });

    const user = await admin.post(`/admin/tenants/${tenant.body.id}/users`, { name: "carol" });
    expect(user.status).toBe(201);
    expect(user.body).toEqual({ id: expect.any(String), tenantId: tenant.body.id, name: "carol" });

    const token = await admin.post(`/admin/tenants/${tenant.body.id}/tokens`, {
      app: app.body.clientId,
      userId: user.body.id,
      scopes: ["nudge"],
    });
    expect(token.status).toBe(201);
    expect(token.body).toEqual({ token: expect.any(String) });

    const carol = apiClient(t!.url, { authorization: `Bearer ${token.body.token}` });
    const created = await carol.post("/v1/resources", { title: "Carol's" });
    expect(created.status).toBe(201);
    expect(created.body.ownerId).toBe(user.body.id);
    expect((await carol.get("/v1/resources")).body.value).toHaveLength(1);
  });

  it("sets an app's webhook on its root domain and refuses one off it", async () => {
    const admin = await start();
    const tenant = (await admin.post("/admin/tenants", { name: "Fabrikam" })).body;
    const app = (
      await admin.post(`/admin/tenants/${tenant.id}/apps`, { name: "A", rootDomain: "myservice.contoso.com" })
    ).body;
    expect(app.rootDomain).toBe("myservice.contoso.com");
    const off = await admin.patch(`/admin/tenants/${tenant.id}/apps/${app.clientId}`, {
      webhookUrl: "https://hooks.evil.example/notify",
    });
    expect(off.status).toBe(400);
    expect(off.body.error.code).toBe("invalidNotificationUrl");
    expect(off.body.error.message).toContain("root domain 'myservice.contoso.com'");
    const on = await admin.patch(`/admin/tenants/${tenant.id}/apps/${app.id}`, {
      webhookUrl: "https://webhooks.myservice.contoso.com/api/changeNotification",
    });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({
      id: app.id,
      clientId: app.clientId,
      name: "A",
      webhookUrl: "https://webhooks.myservice.contoso.com/api/changeNotification",
      rootDomain: "myservice.contoso.com",
    });
    const missing = await admin.patch(`/admin/tenants/${tenant.id}/apps/no-such-app`, { webhookUrl: null });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("appNotFound");
  });

  it("issues a token for an app named by its id as well as its client id", async () => {
    const admin = await start();
    const tenant = (await admin.post("/admin/tenants", { name: "Fabrikam" })).body;
    const app = (await admin.post(`/admin/tenants/${tenant.id}/apps`, { name: "A" })).body;
    expect(app.webhookUrl).toBeNull();
    const user = (await admin.post(`/admin/tenants/${tenant.id}/users`, { name: "dave" })).body;
    const token = await admin.post(`/admin/tenants/${tenant.id}/tokens`, { app: app.id, userId: user.id });
    expect(token.status).toBe(201);
    expect(
      (await apiClient(t!.url, { authorization: `Bearer ${token.body.token}` }).get("/v1/resources")).status,
    ).toBe(200);
  });

  it("lists tenants", async () => {
    const admin = await start();
    const created = (await admin.post("/admin/tenants", { name: "Fabrikam" })).body;
    const listed = await admin.get("/admin/tenants");
    expect(listed.status).toBe(200);
    expect(listed.body.value.map((x: { name: string }) => x.name).sort()).toEqual([
      "Contoso (demo)",
      "Fabrikam",
    ]);
    expect(listed.body.value).toContainEqual(created);
  });

  it("answers 404 tenantNotFound for every route under an unknown tenant", async () => {
    const admin = await start();
    const base = "/admin/tenants/00000000-0000-0000-0000-000000000000";
    const calls = [
      admin.post(`${base}/apps`, { name: "A" }),
      admin.post(`${base}/users`, { name: "u" }),
      admin.post(`${base}/tokens`, { app: t!.demo.app.clientId, userId: t!.demo.users.alice.id }),
      admin.post(`${base}/grants`, { resourceId: "r", userId: t!.demo.users.bob.id }),
    ];
    for (const refused of await Promise.all(calls)) {
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe("tenantNotFound");
    }
  });

  it("answers 404 appNotFound and userNotFound for a token of an unknown app or user", async () => {
    const admin = await start();
    const path = `/admin/tenants/${t!.demo.tenantId}/tokens`;
    const noApp = await admin.post(path, { app: "no-such-app", userId: t!.demo.users.alice.id });
    expect(noApp.status).toBe(404);
    expect(noApp.body.error.code).toBe("appNotFound");
    const noUser = await admin.post(path, { app: t!.demo.app.clientId, userId: "no-such-user" });
    expect(noUser.status).toBe(404);
    expect(noUser.body.error.code).toBe("userNotFound");
  });

  it("answers 404 for a grant of an unknown resource or to an unknown user", async () => {
    const admin = await start();
    const path = `/admin/tenants/${t!.demo.tenantId}/grants`;
    const resource = (await clientsOf(t!).alice.post("/v1/resources", { title: "R" })).body.id;
    const noResource = await admin.post(path, {
      resourceId: "no-such-resource",
      userId: t!.demo.users.bob.id,
    });
    expect(noResource.status).toBe(404);
    expect(noResource.body.error.code).toBe("resourceNotFound");
    const noUser = await admin.post(path, { resourceId: resource, userId: "no-such-user" });
    expect(noUser.status).toBe(404);
    expect(noUser.body.error.code).toBe("userNotFound");
  });

  it("refuses bad input with 400, naming the field", async () => {
    const admin = await start();
    const noName = await admin.post("/admin/tenants", {});
    expect(noName.status).toBe(400);
    expect(noName.body.error).toEqual({ code: "invalidRequest", message: expect.stringContaining("name") });
    const badScopes = await admin.post(`/admin/tenants/${t!.demo.tenantId}/tokens`, {
      app: t!.demo.app.clientId,
      userId: t!.demo.users.alice.id,
      scopes: "nudge",
    });
    expect(badScopes.status).toBe(400);
    expect(badScopes.body.error.message).toContain("scopes");
    const badUrl = await admin.post(`/admin/tenants/${t!.demo.tenantId}/apps`, {
      name: "A",
      webhookUrl: "ftp://x",
    });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.code).toBe("invalidNotificationUrl");
  });

  it("answers an unknown admin path with 404 notFound in the native shape", async () => {
    const admin = await start();
    const missing = await admin.get("/admin/nothing");
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("notFound");
  });
});
