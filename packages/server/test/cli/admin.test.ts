import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, startDevServe, type DemoFile, type ServeProcess } from "./process.js";

describe("nudge admin", () => {
  let dir: string;
  let server: ServeProcess;
  let demo: DemoFile;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-cli-admin-"));
    ({ server, demo } = await startDevServe(join(dir, "nudge.db"), join(dir, "credentials.json")));
    url = server.url!;
  });
  afterAll(async () => {
    await server?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs `nudge admin ...` against the test server, the admin token coming from NUDGE_ADMIN_TOKEN. */
  async function admin(args: string[]) {
    return runCli(["admin", ...args, "--server", url], { env: { NUDGE_ADMIN_TOKEN: demo.adminToken } });
  }

  async function adminJson<T>(args: string[]): Promise<T> {
    const result = await admin(args);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout) as T;
  }

  it("creates a tenant and prints it as JSON", async () => {
    const tenant = await adminJson<{ id: string; name: string }>(["tenants", "create", "--name", "Fabrikam"]);
    expect(tenant).toEqual({ id: expect.any(String), name: "Fabrikam", createdDateTime: expect.any(String) });
  });

  it("lists tenants as a table with --table", async () => {
    await adminJson(["tenants", "create", "--name", "Northwind"]);
    const result = await admin(["tenants", "list", "--table"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+NAME\s+CREATEDDATETIME/);
    expect(result.stdout).toContain("Northwind");
    expect(result.stdout).toContain(demo.tenantId);
  });

  it("creates an app, a user and a token that authenticates against the API", async () => {
    const tenant = await adminJson<{ id: string }>(["tenants", "create", "--name", "Tailspin"]);
    const app = await adminJson<{ id: string; clientId: string; secret: string }>([
      "apps",
      "create",
      "--tenant",
      tenant.id,
      "--name",
      "Sync",
    ]);
    expect(app.secret).toEqual(expect.any(String));
    const user = await adminJson<{ id: string }>([
      "users",
      "create",
      "--tenant",
      tenant.id,
      "--name",
      "carol",
    ]);
    const { token } = await adminJson<{ token: string }>([
      "tokens",
      "create",
      "--tenant",
      tenant.id,
      "--app",
      app.clientId,
      "--user",
      user.id,
      "--scopes",
      "nudge",
    ]);
    const resources = await fetch(`${url}/v1/resources`, { headers: { authorization: `Bearer ${token}` } });
    expect(resources.status).toBe(200);
  });

  it("grants a user access to another user's resource", async () => {
    const alice = { authorization: `Bearer ${demo.users.alice.token}`, "content-type": "application/json" };
    const created = await fetch(`${url}/v1/resources`, {
      method: "POST",
      headers: alice,
      body: JSON.stringify({ title: "Shared" }),
    });
    const resource = (await created.json()) as { id: string };
    const bob = { authorization: `Bearer ${demo.users.bob.token}` };
    expect((await fetch(`${url}/v1/resources/${resource.id}`, { headers: bob })).status).toBe(404);
    const granted = await adminJson<{ granted: boolean }>([
      "grants",
      "create",
      "--tenant",
      demo.tenantId,
      "--resource",
      resource.id,
      "--user",
      demo.users.bob.id,
    ]);
    expect(granted.granted).toBe(true);
    expect((await fetch(`${url}/v1/resources/${resource.id}`, { headers: bob })).status).toBe(200);
  });

  it("exits 1 with the server's error code and message when the request is refused", async () => {
    const result = await admin(["users", "create", "--tenant", "no-such-tenant", "--name", "dave"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/failed with 404: tenantNotFound: /);
  });

  it("exits 1 when the admin token is wrong", async () => {
    const result = await runCli([
      "admin",
      "tenants",
      "list",
      "--server",
      url,
      "--admin-token",
      "wrong-token-0123456789",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/failed with 401/);
  });

  it("exits 2 when no admin token is given", async () => {
    const result = await runCli(["admin", "tenants", "list", "--server", url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no admin token: pass --admin-token or set NUDGE_ADMIN_TOKEN");
  });

  it("exits 1 when the server cannot be reached", async () => {
    const result = await runCli([
      "admin",
      "tenants",
      "list",
      "--server",
      "http://127.0.0.1:1",
      "--admin-token",
      "x".repeat(20),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("cannot reach http://127.0.0.1:1: ECONNREFUSED");
  });

  it("reads the server URL from NUDGE_SERVER", async () => {
    const result = await runCli(["admin", "tenants", "list"], {
      env: { NUDGE_SERVER: url, NUDGE_ADMIN_TOKEN: demo.adminToken },
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).value).toContainEqual(expect.objectContaining({ id: demo.tenantId }));
  });
});
