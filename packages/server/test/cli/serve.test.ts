import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "@nudge/test-support";
import { runCli, ServeProcess } from "./process.js";

describe("nudge serve", () => {
  let dir: string;
  let servers: ServeProcess[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nudge-cli-"));
    servers = [];
  });
  afterEach(async () => {
    for (const server of servers) await server.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
    const server = await ServeProcess.start(["--port", "0", "--log-level", "warn", ...args], env);
    servers.push(server);
    return server;
  }

  it("in dev mode on an empty database writes the demo credentials file and answers /health", async () => {
    const credentials = join(dir, "credentials.json");
    const server = await serve(["--dev", "--db", join(dir, "nudge.db"), "--credentials-out", credentials]);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const written = JSON.parse(readFileSync(credentials, "utf8"));
    expect(written).toEqual({
      tenantId: expect.any(String),
      adminToken: expect.any(String),
      app: { clientId: expect.any(String), secret: expect.any(String) },
      users: {
        alice: { id: expect.any(String), token: expect.any(String) },
        bob: { id: expect.any(String), token: expect.any(String) },
      },
    });
    // The demo token works, and the generated admin token opens the admin API.
    const lists = await fetch(`${server.url}/v1/resources`, {
      headers: { authorization: `Bearer ${written.users.alice.token}` },
    });
    expect(lists.status).toBe(200);
    const tenants = await fetch(`${server.url}/admin/tenants`, {
      headers: { authorization: `Bearer ${written.adminToken}` },
    });
    expect(tenants.status).toBe(200);
  });

  it("in dev mode prints the demo tenant, tokens, admin token and a curl example on stdout", async () => {
    const credentials = join(dir, "credentials.json");
    const server = await serve(["--dev", "--db", join(dir, "nudge.db"), "--credentials-out", credentials]);
    const written = JSON.parse(readFileSync(credentials, "utf8"));
    await expectEventually(() => server.stdout.includes("curl"));
    expect(server.stdout).toContain(written.tenantId);
    expect(server.stdout).toContain(written.users.alice.token);
    expect(server.stdout).toContain(written.users.bob.token);
    expect(server.stdout).toContain(written.adminToken);
    expect(server.stdout).toContain(`curl -s -X POST ${server.url}/_api/web/lists`);
  });

  it("writes the configured admin token (NUDGE_ADMIN_TOKEN) to the credentials file instead of generating one", async () => {
    const credentials = join(dir, "credentials.json");
    const adminToken = "configured-admin-token-123456";
    await serve(["--dev", "--db", join(dir, "nudge.db"), "--credentials-out", credentials], {
      NUDGE_ADMIN_TOKEN: adminToken,
    });
    expect(JSON.parse(readFileSync(credentials, "utf8")).adminToken).toBe(adminToken);
  });

  it("seeds no second demo tenant when restarted on the same database, and says so", async () => {
    const db = join(dir, "nudge.db");
    const first = await serve(["--dev", "--db", db, "--credentials-out", join(dir, "first.json")]);
    expect((await first.kill("SIGTERM")).code).toBe(0);
    const second = await serve(["--dev", "--db", db, "--credentials-out", join(dir, "second.json")]);
    await expectEventually(() => second.stderr.includes("no demo was seeded"));
    expect(existsSync(join(dir, "second.json"))).toBe(false);
    expect(second.stdout).toContain("admin token");
  });

  it("exits 2 with a message naming the field when a flag value is out of range", async () => {
    const result = await runCli(["serve", "--db", join(dir, "nudge.db"), "--coalesce-window-ms", "-5"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("delivery.coalesceWindowMs: must be >= 0");
    expect(existsSync(join(dir, "nudge.db"))).toBe(false);
  });

  it("exits 2 with a message naming the field when a flag value is not a number", async () => {
    const result = await runCli(["serve", "--port", "eighty"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("server.port (--port): 'eighty' is not an integer");
  });

  it("exits 2 with a message naming the variable when a NUDGE_* value is not a number", async () => {
    const result = await runCli(["serve", "--db", join(dir, "nudge.db")], {
      env: { NUDGE_LEASE_MS: "soon" },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("NUDGE_LEASE_MS: 'soon' is not a number");
  });

  it("exits 2 naming server.role when a SQLite file is to serve a dispatcher-only node", async () => {
    const result = await runCli(["serve", "--db", join(dir, "nudge.db"), "--role", "dispatcher"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("server.role: 'dispatcher' needs a PostgreSQL database");
    expect(existsSync(join(dir, "nudge.db"))).toBe(false);
  });

  it("exits 2 naming the key when the config file has an unknown setting", async () => {
    const file = join(dir, "nudge.json");
    writeFileSync(file, JSON.stringify({ delivery: { retries: 3 } }));
    const result = await runCli(["serve", "--config", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("delivery: must NOT have additional properties 'retries'");
  });

  it("lets flags override NUDGE_* variables, which override the config file", async () => {
    const file = join(dir, "nudge.json");
    // Out-of-range values in the lower levels would refuse to start if they were not overridden.
    writeFileSync(file, JSON.stringify({ server: { port: 70000 }, delivery: { leaseMs: -1 } }));
    const server = await serve(["--config", file, "--db", join(dir, "nudge.db")], {
      NUDGE_PORT: "70001",
      NUDGE_LEASE_MS: "30000",
    });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });

  it("exits 1 when the port is already taken", async () => {
    const first = await serve(["--db", join(dir, "a.db")]);
    const port = new URL(first.url!).port;
    const result = await runCli([
      "serve",
      "--port",
      port,
      "--db",
      join(dir, "b.db"),
      "--log-level",
      "silent",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("EADDRINUSE");
  });

  it.each(["SIGTERM", "SIGINT"] as const)("stops gracefully on %s and exits 0", async (signal) => {
    const server = await serve(["--db", join(dir, "nudge.db"), "--log-level", "info"]);
    const exit = await server.kill(signal);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.stdout).toContain('"msg":"stopped"');
  });
});

/** The child's output is real I/O with no event of its own here: poll it (see waitFor in @nudge/test-support). */
async function expectEventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  await waitFor(condition, { timeoutMs, intervalMs: 20, what: "the child's output" });
}
