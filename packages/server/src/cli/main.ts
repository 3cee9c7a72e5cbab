#!/usr/bin/env node
/**
 * The `nudge` command: `serve` runs a node; `admin` manages tenants, apps, users, tokens and grants
 * through a running server; `subscriptions list` and `deliveries list` read a database file.
 * Exit codes: 0 ok, 1 runtime failure, 2 usage or configuration error (cli/exit.ts).
 *
 * process.env is read here only through Commander's `.env()` options (NUDGE_SERVER and
 * NUDGE_ADMIN_TOKEN for `admin`); every server setting is read by config/load.ts.
 */
import { createRequire } from "node:module";
import { Command } from "commander";
import { adminCommand } from "./admin.js";
import { deliveriesCommand } from "./deliveries.js";
import { reportError } from "./exit.js";
import { listenCommand } from "./listen.js";
import { serveCommand } from "./serve.js";
import { subscriptionsCommand } from "./subscriptions.js";

export function buildProgram(): Command {
  const { version } = createRequire(import.meta.url)("../../package.json") as { version: string };
  const program = new Command("nudge")
    .description(
      "Nudge: change notifications (webhooks) with a validation handshake, batched thin notifications and change feeds.",
    )
    .version(version)
    .addCommand(serveCommand())
    .addCommand(adminCommand())
    .addCommand(subscriptionsCommand())
    .addCommand(deliveriesCommand())
    .addCommand(listenCommand())
    .addHelpText("after", "\nRun `nudge <command> --help` for a command's options.");
  configureAll(program);
  return program;
}

/** Settings every command needs, applied down the tree (addCommand does not inherit them). */
function configureAll(command: Command): void {
  command.exitOverride().showHelpAfterError("(run with --help for usage)");
  for (const sub of command.commands) configureAll(sub);
}

async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    process.exitCode = reportError(error, (text) => process.stderr.write(text));
  }
}

await main(process.argv);
