/**
 * The first schema, for PostgreSQL: the same tables, columns and indexes as the SQLite set
 * (migrations/sqlite/0001_initial.ts). Differences, and why: times, sequence numbers and ids are
 * bigint (milliseconds since the epoch do not fit in 32 bits; pg returns them as numbers, see
 * store/postgres.ts); auto-increment keys are bigserial; text is `collate "C"`, so names and keys
 * sort by code point whatever the database's locale, as SQLite's default collation does.
 */
import { sql, type Kysely } from "kysely";
import { bigint, text } from "./types.js";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("tenants")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("name", text, (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("apps")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id"))
    .addColumn("client_id", text, (c) => c.notNull().unique())
    .addColumn("name", text, (c) => c.notNull())
    .addColumn("secret_hash", text, (c) => c.notNull())
    .addColumn("webhook_url", text)
    .addColumn("created_at", bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("users")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("tenant_id", text, (c) => c.notNull().references("tenants.id"))
    .addColumn("name", text, (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("tokens")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("tenant_id", text, (c) => c.notNull())
    .addColumn("app_id", text, (c) => c.notNull().references("apps.id"))
    .addColumn("user_id", text, (c) => c.notNull().references("users.id"))
    .addColumn("token_hash", text, (c) => c.notNull().unique())
    .addColumn("scopes", text, (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("revoked_at", bigint)
    .execute();
  await db.schema
    .createTable("sites")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("tenant_id", text, (c) => c.notNull())
    .addColumn("path", text, (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addUniqueConstraint("sites_tenant_path", ["tenant_id", "path"])
    .execute();
  await db.schema
    .createTable("resources")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("tenant_id", text, (c) => c.notNull())
    .addColumn("owner_id", text, (c) => c.notNull().references("users.id"))
    .addColumn("kind", text, (c) => c.notNull())
    .addColumn("site_id", text)
    .addColumn("title", text, (c) => c.notNull())
    .addColumn("template", "integer")
    .addColumn("next_item_number", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("modified_at", bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("resources_by_owner")
    .on("resources")
    .columns(["tenant_id", "owner_id"])
    .execute();
  await db.schema
    .createTable("grants")
    .addColumn("resource_id", text, (c) => c.notNull().references("resources.id"))
    .addColumn("user_id", text, (c) => c.notNull().references("users.id"))
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint("grants_pk", ["resource_id", "user_id"])
    .execute();
  await db.schema
    .createTable("items")
    .addColumn("resource_id", text, (c) => c.notNull().references("resources.id"))
    .addColumn("item_key", text, (c) => c.notNull())
    .addColumn("number", "integer")
    .addColumn("guid", text, (c) => c.notNull())
    .addColumn("fields", text, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("modified_at", bigint, (c) => c.notNull())
    .addColumn("created_by", text)
    .addColumn("modified_by", text)
    .addPrimaryKeyConstraint("items_pk", ["resource_id", "item_key"])
    .execute();
  await db.schema
    .createTable("changes")
    .addColumn("seq", "bigserial", (c) => c.primaryKey())
    .addColumn("resource_id", text, (c) => c.notNull())
    .addColumn("item_key", text, (c) => c.notNull())
    .addColumn("kind", text, (c) => c.notNull())
    .addColumn("at", bigint, (c) => c.notNull())
    .addColumn("actor_id", text)
    .execute();
  await db.schema.createIndex("changes_by_resource").on("changes").columns(["resource_id", "seq"]).execute();
  await db.schema
    .createTable("subscriptions")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("tenant_id", text, (c) => c.notNull())
    .addColumn("resource_id", text, (c) => c.notNull().references("resources.id"))
    .addColumn("app_id", text, (c) => c.notNull())
    .addColumn("creator_id", text, (c) => c.notNull())
    .addColumn("surface", text, (c) => c.notNull())
    .addColumn("notification_url", text, (c) => c.notNull())
    .addColumn("client_state", text)
    .addColumn("expires_at", bigint, (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("updated_at", bigint, (c) => c.notNull())
    .addColumn("disabled_at", bigint)
    .addColumn("disabled_reason", text)
    .addColumn("consecutive_drops", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("subscriptions_by_resource")
    .on("subscriptions")
    .columns(["resource_id"])
    .execute();
  await db.schema
    .createTable("pending_marks")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("subscription_id", text, (c) => c.notNull())
    .addColumn("notification_url", text, (c) => c.notNull())
    .addColumn("first_seq", bigint, (c) => c.notNull())
    .addColumn("last_seq", bigint, (c) => c.notNull())
    .addColumn("change_count", "integer", (c) => c.notNull())
    .addColumn("created_at", bigint, (c) => c.notNull())
    .addColumn("due_at", bigint, (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("first_attempt_at", bigint)
    .addColumn("last_error", text)
    .addColumn("claimed_by", text)
    .addColumn("lease_until", bigint)
    .execute();
  await db.schema.createIndex("pending_marks_due").on("pending_marks").columns(["due_at"]).execute();
  await db.schema
    .createIndex("pending_marks_by_subscription")
    .on("pending_marks")
    .columns(["subscription_id"])
    .execute();
  await db.schema
    .createTable("attempts")
    .addColumn("id", "bigserial", (c) => c.primaryKey())
    .addColumn("delivery_id", text, (c) => c.notNull())
    .addColumn("subscription_id", text, (c) => c.notNull())
    .addColumn("mark_id", bigint, (c) => c.notNull())
    .addColumn("notification_url", text, (c) => c.notNull())
    .addColumn("attempt", "integer", (c) => c.notNull())
    .addColumn("at", bigint, (c) => c.notNull())
    .addColumn("status_code", "integer")
    .addColumn("duration_ms", "integer", (c) => c.notNull())
    .addColumn("error", text)
    .addColumn("outcome", text, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("attempts_by_subscription")
    .on("attempts")
    .columns(["subscription_id", "id"])
    .execute();
  await db.schema.createIndex("attempts_by_delivery").on("attempts").columns(["delivery_id"]).execute();
  await db.schema
    .createTable("dead_letters")
    .addColumn("id", text, (c) => c.primaryKey())
    .addColumn("tenant_id", text, (c) => c.notNull())
    .addColumn("subscription_id", text, (c) => c.notNull())
    .addColumn("notification_url", text, (c) => c.notNull())
    .addColumn("first_seq", bigint, (c) => c.notNull())
    .addColumn("last_seq", bigint, (c) => c.notNull())
    .addColumn("change_count", "integer", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("first_attempt_at", bigint)
    .addColumn("dropped_at", bigint, (c) => c.notNull())
    .addColumn("last_error", text)
    .addColumn("replayed_at", bigint)
    .execute();
  await db.schema
    .createIndex("dead_letters_by_subscription")
    .on("dead_letters")
    .columns(["subscription_id"])
    .execute();
  await sql`select 1`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
