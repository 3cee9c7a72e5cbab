/**
 * Every user has at most one drive and one notebook container: two first calls racing each other
 * must not make two (the loser finds the winner's, see ResourceService.ensureOwn). The same
 * statement as migrations/sqlite/0003.
 */
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE UNIQUE INDEX resources_one_container ON resources (owner_id, kind) WHERE kind IN ('drive', 'notebook')`.execute(
    db,
  );
}

export async function down(): Promise<void> {
  throw new Error("Nudge migrations go forward only.");
}
