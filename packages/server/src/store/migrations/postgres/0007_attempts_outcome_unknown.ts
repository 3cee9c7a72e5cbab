/**
 * An attempt whose outcome was lost — its node died with the notification in flight — is recorded
 * as `unknown` when another claim takes it over. Its delivery id and duration were never stored,
 * so both columns become nullable (the SQLite set rebuilds the table to the same effect).
 */
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("attempts")
    .alterColumn("delivery_id", (c) => c.dropNotNull())
    .alterColumn("duration_ms", (c) => c.dropNotNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
