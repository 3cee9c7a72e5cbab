/**
 * OneNote's `lastModifiedTime ge …` (what a client polling for changed pages asks) filters the
 * notes items table, not the journal: the pages of a container are reached through the
 * `(resource_id, item_type, modified_at)` index from the time on, not by reading every item of the
 * container. Proved by the plan of the repository's own statement over a notebook of 3,000 pages
 * (and its notebook and section), one modified a minute, analysed as a long-lived database would be.
 */
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import {
  insertNoteItem,
  queryNoteItems,
  type NoteItemQuery,
} from "../../src/store/repositories/notes-items.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { queryPlan, recordingStatements } from "../helpers/query-plan.js";
import { NotesClient } from "../onenote/notes-client.js";

const PAGES = 3000;

describe("notes queried by modification time", () => {
  let t: TestNudge;
  let query: NoteItemQuery;
  let start: number;

  beforeAll(async () => {
    t = await startTestNudge();
    const { sectionId } = await NotesClient.oneNote(t).notebookWithSection();
    const { containerId, createdBy } = await t.nudge.db
      .selectFrom("items")
      .select(["resource_id as containerId", "created_by as createdBy"])
      .where("item_key", "=", sectionId)
      .executeTakeFirstOrThrow();
    start = t.clock.now();
    await t.nudge.db.transaction().execute(async (trx) => {
      for (let i = 0; i < PAGES; i++) {
        await insertNoteItem(trx, {
          containerId,
          id: `page-${i}`,
          guid: `guid-${i}`,
          type: "page",
          name: `p${i}`,
          parentId: sectionId,
          content: "<p>x</p>",
          createdAt: start + i * MINUTE,
          createdBy: createdBy!,
          createdByAppId: null,
        });
      }
    });
    await sql`analyze`.execute(t.nudge.db);
    // The newest 50 pages: what a client that polled an hour ago asks for.
    query = {
      containerIds: [containerId],
      type: "page",
      where: [{ column: "modifiedAt", op: "ge", at: start + (PAGES - 50) * MINUTE }],
      orderBy: [{ column: "modifiedAt", descending: true }],
      limit: 21,
      offset: 0,
    };
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("reaches the pages modified since a time through the modification-time index", async () => {
    const recording = recordingStatements(t.nudge.db);
    const pages = await queryNoteItems(recording.db, query);
    expect(pages.map((p) => p.id)).toEqual(Array.from({ length: 21 }, (_, n) => `page-${PAGES - 1 - n}`));
    expect(recording.statements).toHaveLength(1);
    const plan = await queryPlan(t.nudge.db, recording.statements[0]!);
    // SQLite: "SEARCH i USING INDEX items_by_modification (resource_id=? AND item_type=? AND
    // modified_at>?)"; PostgreSQL: "… using items_by_modification on items i" and then "Index Cond:
    // ((resource_id = …) AND (item_type = 'page'::text) AND (modified_at >= …))".
    expect(plan).toMatch(
      /INDEX items_by_modification \(resource_id=\? AND item_type=\? AND modified_at[<>]|using items_by_modification on items i[\s\S]*Index Cond: .*\(modified_at >/,
    );
  });
});
