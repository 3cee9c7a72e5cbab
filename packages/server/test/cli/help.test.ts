import { describe, expect, it } from "vitest";
import { runCli } from "./process.js";

describe.concurrent("nudge --help", () => {
  it("lists the commands and exits 0", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    for (const command of ["serve", "admin", "subscriptions", "deliveries"])
      expect(result.stdout).toContain(command);
  });

  it.each([
    [
      "serve",
      [
        "--port",
        "--host",
        "--db",
        "--role",
        "--config",
        "--dev",
        "--no-dev",
        "--credentials-out",
        "--log-level",
        "--coalesce-window-ms",
        "--admin-token",
        "NUDGE_ADMIN_TOKEN",
      ],
    ],
    ["admin", ["tenants", "apps", "users", "tokens", "grants"]],
    ["admin tenants", ["create", "list"]],
    ["admin tenants create", ["--name", "--server", "--admin-token", "--json", "--table"]],
    ["admin tenants list", ["--server", "--admin-token"]],
    ["admin apps create", ["--tenant", "--name", "--webhook-url"]],
    ["admin users create", ["--tenant", "--name"]],
    ["admin tokens create", ["--tenant", "--app", "--user", "--scopes"]],
    ["admin grants create", ["--tenant", "--resource", "--user"]],
    ["subscriptions list", ["--db", "--config", "--tenant", "--json"]],
    ["deliveries list", ["--db", "--subscription", "--limit", "--json"]],
  ])("`nudge %s --help` exits 0 and lists its options", async (command, options) => {
    const result = await runCli([...command.split(" "), "--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: nudge ${command}`);
    for (const option of options) expect(result.stdout).toContain(option);
  });

  it("exits 2 on an unknown command", async () => {
    const result = await runCli(["serv"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'serv'");
  });

  it("exits 2 when a required option is missing", async () => {
    const result = await runCli(["admin", "tenants", "create", "--admin-token", "x".repeat(20)]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("required option '--name <name>' not specified");
  });
});
