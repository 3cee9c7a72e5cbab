/** `nudge subscriptions list`: every subscription in a database file, with its state and pending marks. */
import { Command } from "commander";
import type { DatabaseFlags } from "./offline.js";
import { isoTime, printJson, printTable } from "./output.js";

export function subscriptionsCommand(): Command {
  const subscriptions = new Command("subscriptions").description(
    "Inspect subscriptions (reads the database file).",
  );
  subscriptions
    .command("list")
    .description("List every subscription (all tenants, expired and disabled included).")
    .option("--db <path>", "SQLite database file (default: as `nudge serve` would use)")
    .option("-c, --config <file>", "JSON configuration file (also NUDGE_CONFIG)")
    .option("--tenant <id>", "only this tenant's subscriptions")
    .option("--json", "print JSON instead of a table")
    .action(async (flags: DatabaseFlags & { tenant?: string; json?: boolean }) => {
      // Loaded on use, so the other commands start without the database layer.
      const { withOffline } = await import("./offline.js");
      const list = await withOffline(flags, ({ services }) =>
        services.subscriptions.overview(flags.tenant ? { tenantId: flags.tenant } : {}),
      );
      const rows = list.map((s) => ({
        id: s.id,
        tenantId: s.tenantId,
        resourceId: s.resourceId,
        resourceTitle: s.resourceTitle,
        surface: s.surface,
        notificationUrl: s.notificationUrl,
        clientState: s.clientState,
        state: s.state,
        disabledReason: s.disabledReason,
        expirationDateTime: isoTime(s.expiresAt),
        createdDateTime: isoTime(s.createdAt),
        consecutiveDrops: s.consecutiveDrops,
        pendingMarks: s.pendingMarks,
      }));
      if (flags.json) printJson(rows);
      else
        printTable(rows, [
          "id",
          "surface",
          "resourceTitle",
          "notificationUrl",
          "state",
          "expirationDateTime",
          "pendingMarks",
          "disabledReason",
        ]);
    });
  return subscriptions;
}
