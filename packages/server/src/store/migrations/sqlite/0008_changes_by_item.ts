/**
 * A delta round's list of changed items is read a page at a time: the journal is walked from the
 * page's start in seq order, and a change counts only if it is its item's first in the round's
 * slice, which one seek into `(resource_id, item_key, seq)` answers. Without it the whole slice
 * was grouped by item on every page: a deltaLink from the middle of a million changes took
 * hundreds of milliseconds more than one from the middle of a thousand (bench/feed-page.js).
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex("changes_by_item")
    .on("changes")
    .columns(["resource_id", "item_key", "seq"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
