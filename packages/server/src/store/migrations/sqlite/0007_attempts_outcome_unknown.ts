/**
 * An attempt whose outcome was lost — its node died with the notification in flight — is recorded
 * as `unknown` when another claim takes it over. Its delivery id and duration were never stored,
 * so both columns become nullable. SQLite cannot drop NOT NULL from a column: the table is rebuilt
 * with the same columns and indexes (see 0001_initial.ts), keeping every row and its id.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("attempts_rebuilt")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("delivery_id", "text")
    .addColumn("subscription_id", "text", (c) => c.notNull())
    .addColumn("mark_id", "integer", (c) => c.notNull())
    .addColumn("notification_url", "text", (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("at", "integer", (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("duration_ms", "integer")
    .addColumn("error", "text")
    .addColumn("outcome", "text", (c) => c.notNull())
    .execute();
  await sql`INSERT INTO attempts_rebuilt (id, delivery_id, subscription_id, mark_id, notification_url, attempt, at, status_code, duration_ms, error, outcome)
    SELECT id, delivery_id, subscription_id, mark_id, notification_url, attempt, at, status_code, duration_ms, error, outcome FROM attempts`.execute(
    db,
  );
  await db.schema.dropTable("attempts").execute();
  await db.schema.alterTable("attempts_rebuilt").renameTo("attempts").execute();
  await db.schema
    .createIndex("attempts_by_subscription")
    .on("attempts")
    .columns(["subscription_id", "id"])
    .execute();
  await db.schema.createIndex("attempts_by_delivery").on("attempts").columns(["delivery_id"]).execute();
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
