/**
 * Time-based positions find their place by time within one resource. SharePoint's `-1` change
 * tokens (a time, not a change number) are turned into a sequence position by one seek into
 * `(resource_id, at, seq)`; the page is then read by sequence, as other tokens are. The index on
 * `at` alone (0004) serves pruning, which cuts every resource at once, but not a lookup within one
 * resource: its times are spread over the whole journal. OneNote's `lastModifiedTime ge …` filters
 * a container's pages (rows of `items`) by modification time, hence `(resource_id, item_type,
 * modified_at)`.
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("changes_by_resource_time")
    .on("changes")
    .columns(["resource_id", "at", "seq"])
    .execute();
  await db.schema
    .createIndex("items_by_modification")
    .on("items")
    .columns(["resource_id", "item_type", "modified_at"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
