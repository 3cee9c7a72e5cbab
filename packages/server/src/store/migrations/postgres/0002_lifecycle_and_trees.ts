/**
 * Second schema step: lifecycle notifications and app-level registrations on subscriptions,
 * marks of more than one kind, item trees (drive items, OneNote notebooks/sections/pages) and
 * journal pruning. PostgreSQL's copy of migrations/sqlite/0002 (bytea for blob; see 0001 for the
 * other type differences).
 */
import type { Kysely } from "kysely";
import { bigint, text } from "./types.js";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("pending_marks")
    .addColumn("kind", text, (c) => c.notNull().defaultTo("change"))
    .execute();
  // Lifecycle marks carry their notification ready-made: the subscription may be gone when they are sent.
  await db.schema.alterTable("pending_marks").addColumn("surface", text).execute();
  await db.schema.alterTable("pending_marks").addColumn("payload", text).execute();
  await db.schema.alterTable("subscriptions").addColumn("resource_path", text).execute();
  // The OneDrive preview accepts an app's static webhook URL only on the app's registered root domain.
  await db.schema.alterTable("apps").addColumn("root_domain", text).execute();
  await db.schema.alterTable("subscriptions").addColumn("lifecycle_url", text).execute();
  await db.schema
    .alterTable("subscriptions")
    .addColumn("registration", text, (c) => c.notNull().defaultTo("subscription"))
    .execute();
  await db.schema.alterTable("subscriptions").addColumn("reauthorization_sent_at", bigint).execute();
  await db.schema.alterTable("items").addColumn("parent_key", text).execute();
  await db.schema.alterTable("items").addColumn("name", text).execute();
  await db.schema.alterTable("items").addColumn("item_type", text).execute();
  await db.schema.alterTable("items").addColumn("content", "bytea").execute();
  await db.schema
    .createIndex("items_by_parent")
    .on("items")
    .columns(["resource_id", "parent_key", "name"])
    .execute();
  await db.schema
    .alterTable("resources")
    .addColumn("pruned_seq", bigint, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex("subscriptions_by_registration")
    .on("subscriptions")
    .columns(["app_id", "registration", "resource_id"])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
