/**
 * Pruning needs to find old changes fast (an index on time) and to answer time-based tokens
 * (SharePoint's `-1` form) honestly: a resource remembers the time before which it pruned.
 * PostgreSQL's copy of migrations/sqlite/0004.
 */
import type { Kysely } from "kysely";
import { bigint } from "./types.js";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("changes_by_time").on("changes").columns(["at"]).execute();
  await db.schema
    .alterTable("resources")
    .addColumn("pruned_before", bigint, (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
