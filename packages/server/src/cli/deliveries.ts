/** `nudge deliveries list`: the record of delivery attempts, newest first, from a database file. */
import { Command } from "commander";
import { usageError } from "./exit.js";
import type { DatabaseFlags } from "./offline.js";
import { isoTime, printJson, printTable } from "./output.js";

export function deliveriesCommand(): Command {
  const deliveries = new Command("deliveries").description(
    "Inspect delivery attempts (reads the database file).",
  );
  deliveries
    .command("list")
    .description(
      "List delivery attempts, newest first: time, delivery id, subscription, URL, status, outcome.",
    )
    .option("--db <path>", "SQLite database file (default: as `nudge serve` would use)")
    .option("-c, --config <file>", "JSON configuration file (also NUDGE_CONFIG)")
    .option("--subscription <id>", "only attempts for this subscription")
    .option("--limit <n>", "most attempts to show", "50")
    .option("--json", "print JSON instead of a table")
    .action(async (flags: DatabaseFlags & { subscription?: string; limit: string; json?: boolean }) => {
      if (!/^\d+$/.test(flags.limit) || Number(flags.limit) < 1) {
        throw usageError(`--limit: '${flags.limit}' is not a positive integer`);
      }
      // Loaded on use, so the other commands start without the database layer.
      const { withOffline } = await import("./offline.js");
      const attempts = await withOffline(flags, ({ services }) =>
        services.deliveries.allAttempts({
          limit: Number(flags.limit),
          ...(flags.subscription && { subscriptionId: flags.subscription }),
        }),
      );
      const rows = attempts.map((a) => ({
        time: isoTime(a.at),
        deliveryId: a.deliveryId,
        subscriptionId: a.subscriptionId,
        notificationUrl: a.notificationUrl,
        attempt: a.attempt,
        status: a.statusCode,
        durationMs: a.durationMs,
        error: a.error,
        outcome: a.outcome,
      }));
      if (flags.json) printJson(rows);
      else
        printTable(rows, [
          "time",
          "deliveryId",
          "subscriptionId",
          "notificationUrl",
          "attempt",
          "status",
          "durationMs",
          "outcome",
          "error",
        ]);
    });
  return deliveries;
}
