/**
 * `nudge serve`: its options and help. serve-run.ts does the running.
 */
import { Command } from "commander";
import { environmentVariables } from "../config/load.js";
import type { ServeFlags } from "./serve-config.js";

export function serveCommand(): Command {
  return new Command("serve")
    .description(
      "Start a Nudge node: the HTTP API and the delivery dispatcher, on a SQLite file or a PostgreSQL database.",
    )
    .option("-p, --port <number>", "port to listen on; 0 picks a free one (server.port, default 8080)")
    .option("--host <address>", "address to listen on (server.host, default 127.0.0.1)")
    .option(
      "--db <path-or-url>",
      "SQLite database file, created if missing, or postgres://user@host/db (database.url, default ./nudge.db)",
    )
    .option(
      "--role <role>",
      "all (HTTP API and dispatcher), api (HTTP only) or dispatcher (delivery, and /health); api and dispatcher need PostgreSQL (server.role, default all)",
    )
    .option("-c, --config <file>", "JSON configuration file (also NUDGE_CONFIG)")
    .option("--dev", "dev mode: seed an empty database with a demo tenant, app, users and tokens")
    .option("--no-dev", "no dev mode, whatever the config file or NUDGE_DEV says")
    .option("--credentials-out <file>", "dev mode: also write the demo credentials to this file as JSON")
    .option(
      "--tls-cert <file>",
      "serve HTTPS with this PEM certificate (with --tls-key; server.tls.certFile)",
    )
    .option("--tls-key <file>", "the PEM private key of --tls-cert (server.tls.keyFile)")
    .option(
      "--tls-self-signed",
      "serve HTTPS with a self-signed certificate for localhost, made once and kept next to the database; its path is printed",
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug (one line per delivery), trace or silent")
    .option(
      "--coalesce-window-ms <ms>",
      "combine changes made within this window into one notification; 0 = immediate",
    )
    .option(
      "--admin-token <token>",
      "token that guards /admin/* (discouraged: other users can read it from the process list; use NUDGE_ADMIN_TOKEN)",
    )
    .addHelpText("after", serveHelpFooter())
    .action(async (flags: ServeFlags) => {
      // Loaded on use, so `--help` and the other commands start without the whole server.
      const { serve } = await import("./serve-run.js");
      await serve(flags);
    });
}

function serveHelpFooter(): string {
  const table = { NUDGE_CONFIG: "(path of the JSON configuration file)", ...environmentVariables };
  const width = Math.max(...Object.keys(table).map((name) => name.length));
  return [
    "",
    "Settings come from: defaults < --config file < NUDGE_* environment < flags.",
    "Environment variables:",
    ...Object.entries(table).map(([name, path]) => `  ${name.padEnd(width)}  ${path}`),
    "",
    "Examples:",
    "  nudge serve --dev                      demo tenant and tokens on ./nudge.db, port 8080",
    "  nudge serve --port 9000 --db /var/lib/nudge/nudge.db --config nudge.json",
    "  nudge serve --dev --tls-self-signed    HTTPS on localhost (for the Graph client); prints the certificate to trust",
    "  nudge serve --db postgres://nudge@db.internal/nudge --role dispatcher   a delivery node of several",
  ].join("\n");
}
