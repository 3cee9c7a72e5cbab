/**
 * `nudge listen`: a receiver for trying a surface out. It starts a local receiver (the
 * @nudge/receiver SDK), subscribes it, prints each notification and the changes it pulled, and on
 * Ctrl-C deletes the subscription. listen-run.ts does the running.
 */
import { Command, Option } from "commander";
import type { ListenFlags } from "./listen-flags.js";

export type { ListenFlags } from "./listen-flags.js";

export function listenCommand(): Command {
  return new Command("listen")
    .description(
      "Start a local receiver, subscribe it to a resource, and print each notification and the changes it pulled, until Ctrl-C (which deletes the subscription).",
    )
    .addOption(
      new Option("--surface <surface>", "which API to speak")
        .choices(["native", "sharepoint", "graph", "onenote", "onedrive-legacy"])
        .makeOptionMandatory(),
    )
    .option(
      "--resource <resource>",
      "native: a resource id; sharepoint: a list title or id; graph: a drive root (default /me/drive/root)",
    )
    .option("--site <path>", "sharepoint: the site, e.g. /sites/dev (default: the root site)")
    .addOption(
      new Option("--server <url>", "base URL of the Nudge server")
        .env("NUDGE_SERVER")
        .default("http://127.0.0.1:8080"),
    )
    .addOption(new Option("--token <token>", "bearer token of the user to listen as").env("NUDGE_TOKEN"))
    .option("-p, --port <number>", "port for the receiver; 0 picks a free one", "0")
    .option("--host <address>", "address for the receiver", "127.0.0.1")
    .option(
      "--public-url <url>",
      "the URL the server should call, if not http://HOST:PORT/hook (a tunnel, a container)",
    )
    .option("--client-state <secret>", "the clientState to subscribe with (default: a random one)")
    .option("--store <file>", "keep feed positions in this file, to resume where the last run stopped")
    .addOption(
      new Option(
        "--from <where>",
        "with no stored position: print only new changes, or the feed from its beginning",
      )
        .choices(["latest", "beginning"])
        .default("latest"),
    )
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  nudge listen --surface native --resource <resource-id> --token $ALICE_TOKEN",
        "  nudge listen --surface sharepoint --site /sites/dev --resource Docs --token $ALICE_TOKEN",
        "  nudge listen --surface graph --token $ALICE_TOKEN",
        "",
        "OneNote and onedrive-legacy notify the app's webhook (set by an operator); listen registers the",
        "user and prints the URL to set it to.",
      ].join("\n"),
    )
    .action(async (flags: ListenFlags) => {
      // Loaded on use: the other commands start without the receiver.
      const { listen } = await import("./listen-run.js");
      await listen(flags);
    });
}
