/**
 * An app registers a user for an app-level surface once: concurrent first calls must not make two
 * registrations (two would mean every notification twice). The loser of a race finds the winner's
 * (see AppRegistrations.touch). The same statement in both dialects.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE UNIQUE INDEX subscriptions_one_registration ON subscriptions (app_id, surface, resource_id) WHERE registration = 'app-level'`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
