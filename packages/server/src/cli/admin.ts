/**
 * `nudge admin ...`: tenants, apps, users, tokens and grants, through the admin API of a running
 * server (`--server`, NUDGE_SERVER) with the admin token (`--admin-token`, NUDGE_ADMIN_TOKEN).
 * Results print as JSON (what the API answered), or as plain text with `--table`.
 */
import { Command, Option } from "commander";
import { AdminClient, type AdminConnection } from "./admin-client.js";
import { printJson, printRecord, printTable, type Row } from "./output.js";

interface OutputFlags {
  json?: boolean;
  table?: boolean;
}
type LeafFlags = AdminConnection & OutputFlags;

export function adminCommand(): Command {
  const admin = new Command("admin").description(
    "Manage tenants, apps, users, tokens and grants through a running server's admin API.",
  );
  admin.addHelpText(
    "after",
    [
      "",
      "Every command takes --server (default http://127.0.0.1:8080, or NUDGE_SERVER) and",
      "--admin-token (or NUDGE_ADMIN_TOKEN; `nudge serve --dev` prints one). Output is JSON unless --table.",
      "",
      "Example:",
      "  export NUDGE_ADMIN_TOKEN=...",
      "  nudge admin tenants create --name Fabrikam",
      "  nudge admin apps create --tenant <tenant-id> --name 'Sync app' --webhook-url https://example.com/hook",
    ].join("\n"),
  );

  const tenants = admin.command("tenants").description("Tenants: organisations; nothing crosses tenants.");
  leaf(
    tenants.command("create").description("Create a tenant.").requiredOption("--name <name>", "tenant name"),
  ).action(async (flags: LeafFlags & { name: string }) => {
    const tenant = await client(flags).post<Row>("/tenants", { name: flags.name });
    show(flags, tenant);
  });
  leaf(tenants.command("list").description("List every tenant.")).action(async (flags: LeafFlags) => {
    const page = await client(flags).get<{ value: Row[] }>("/tenants");
    if (flags.table) printTable(page.value, ["id", "name", "createdDateTime"]);
    else printJson(page);
  });

  const apps = admin.command("apps").description("Apps: registered clients with a client id and secret.");
  leaf(
    apps
      .command("create")
      .description("Register an app. Its secret is shown once.")
      .requiredOption("--tenant <id>", "tenant id")
      .requiredOption("--name <name>", "app name")
      .option("--webhook-url <url>", "app-level webhook: one notification URL for all its users"),
  ).action(async (flags: LeafFlags & { tenant: string; name: string; webhookUrl?: string }) => {
    const app = await client(flags).post<Row>(`/tenants/${encodeURIComponent(flags.tenant)}/apps`, {
      name: flags.name,
      ...(flags.webhookUrl !== undefined && { webhookUrl: flags.webhookUrl }),
    });
    show(flags, app);
  });

  const users = admin.command("users").description("Users: people in a tenant; they own resources.");
  leaf(
    users
      .command("create")
      .description("Create a user.")
      .requiredOption("--tenant <id>", "tenant id")
      .requiredOption("--name <name>", "user name"),
  ).action(async (flags: LeafFlags & { tenant: string; name: string }) => {
    const user = await client(flags).post<Row>(`/tenants/${encodeURIComponent(flags.tenant)}/users`, {
      name: flags.name,
    });
    show(flags, user);
  });

  const tokens = admin.command("tokens").description("Bearer tokens: an app acting for a user, with scopes.");
  leaf(
    tokens
      .command("create")
      .description("Issue a bearer token. It is shown once and stored only as a hash.")
      .requiredOption("--tenant <id>", "tenant id")
      .requiredOption("--app <id>", "app id or client id")
      .requiredOption("--user <id>", "user id")
      .option("--scopes <list>", "comma-separated scopes (default: the server's)"),
  ).action(async (flags: LeafFlags & { tenant: string; app: string; user: string; scopes?: string }) => {
    const scopes = flags.scopes
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const token = await client(flags).post<Row>(`/tenants/${encodeURIComponent(flags.tenant)}/tokens`, {
      app: flags.app,
      userId: flags.user,
      ...(scopes && { scopes }),
    });
    show(flags, token);
  });

  const grants = admin
    .command("grants")
    .description("Grants: let a user see (and subscribe to) another's resource.");
  leaf(
    grants
      .command("create")
      .description("Grant a user access to a resource of the same tenant.")
      .requiredOption("--tenant <id>", "tenant id")
      .requiredOption("--resource <id>", "resource id (a list, drive, notebook or external resource)")
      .requiredOption("--user <id>", "user id"),
  ).action(async (flags: LeafFlags & { tenant: string; resource: string; user: string }) => {
    await client(flags).post(`/tenants/${encodeURIComponent(flags.tenant)}/grants`, {
      resourceId: flags.resource,
      userId: flags.user,
    });
    show(flags, { tenantId: flags.tenant, resourceId: flags.resource, userId: flags.user, granted: true });
  });

  return admin;
}

/** The options every admin leaf command shares. */
function leaf(command: Command): Command {
  return command
    .addOption(
      new Option("--server <url>", "base URL of the Nudge server")
        .env("NUDGE_SERVER")
        .default("http://127.0.0.1:8080"),
    )
    .addOption(new Option("--admin-token <token>", "admin token").env("NUDGE_ADMIN_TOKEN"))
    .addOption(new Option("--json", "print JSON (the default)"))
    .addOption(new Option("--table", "print readable text instead of JSON").conflicts("json"));
}

function client(flags: LeafFlags): AdminClient {
  return new AdminClient({ server: flags.server, adminToken: flags.adminToken });
}

function show(flags: OutputFlags, record: Row): void {
  if (flags.table) printRecord(record);
  else printJson(record);
}
