/**
 * Pruning needs to find old changes fast (an index on time) and to answer time-based tokens
 * (SharePoint's `-1` form) honestly: a resource remembers the time before which it pruned.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("changes_by_time").on("changes").columns(["at"]).execute();
  await db.schema
    .alterTable("resources")
    .addColumn("pruned_before", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
