/**
 * Reading the journal from a time (SharePoint's `-1` tokens) costs what reading it from a sequence
 * number costs: the time is found by one seek into the `(resource_id, at, seq)` index, and the page
 * is then read as a bounded range of `(resource_id, seq)`, never by walking a resource's journal
 * until the time is reached. Proved by the plans of the repository's own statements, over two
 * 10,000 changes (one a second) of one resource among 10,000 of ten others, analysed as a
 * long-lived database would be.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/store/open.js";
import { appendChanges, readChanges, type NewChange } from "../../src/store/repositories/journal.js";
import { freshTestDatabase, type TestDatabase } from "@nudge/test-support";
import { queryPlan, recordingStatements } from "../helpers/query-plan.js";

const PER_RESOURCE = 10_000;
const START = Date.parse("2026-03-01T00:00:00Z");
const LIST = "list-a";
/** Other resources' changes, as many as LIST's in all, spread over ten of them. */
const others = (i: number) => `list-${i % 10}`;
/** The time of the 5,001st change of each resource. */
const MIDDLE = START + (PER_RESOURCE / 2) * 1000;

describe("journal read from a time", () => {
  let dir: string;
  let database: TestDatabase;
  let db: Db;
  /** The seqs of LIST's changes, oldest first. */
  let seqs: number[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-test-"));
    database = await freshTestDatabase(dir);
    db = await openDatabase(database.url);
    seqs = [];
    // The resources' changes interleave, as they do in a shared journal.
    for (let from = 0; from < PER_RESOURCE; from += 2500) {
      const batch: NewChange[] = [];
      for (let i = from; i < from + 2500; i++) {
        const at = START + i * 1000;
        batch.push({ resourceId: LIST, itemKey: String(i), kind: "update", at, actorId: null });
        batch.push({ resourceId: others(i), itemKey: String(i), kind: "update", at, actorId: null });
      }
      const appended = await appendChanges(db, batch);
      seqs.push(...appended.filter((_, n) => n % 2 === 0));
    }
    await sql`analyze`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The plans of the statements readChanges runs for `query`. */
  async function plansOf(query: Parameters<typeof readChanges>[1]): Promise<string[]> {
    const recording = recordingStatements(db);
    await readChanges(recording.db, query);
    return Promise.all(recording.statements.map((statement) => queryPlan(db, statement)));
  }

  it("finds where a time starts by the time index, then reads the page by a bounded seq range", async () => {
    const [lookup, page, ...more] = await plansOf({
      resourceId: LIST,
      sinceTime: MIDDLE,
      kinds: ["add", "update", "delete"],
      limit: 100,
    });
    expect(more).toEqual([]);
    expect(lookup).toMatch(usesIndex("changes_by_resource_time", "at"));
    expect(page).toMatch(boundedBySeq);
    expect(page).not.toMatch(fullScan);
  });

  it("finds where a time ends by the time index, then reads newest first by a bounded seq range", async () => {
    const [lookup, page, ...more] = await plansOf({
      resourceId: LIST,
      untilTime: MIDDLE,
      newestFirst: true,
      limit: 100,
    });
    expect(more).toEqual([]);
    expect(lookup).toMatch(usesIndex("changes_by_resource_time", "at"));
    expect(page).toMatch(boundedBySeq);
    expect(page).not.toMatch(fullScan);
  });

  it("returns exactly the changes from a time in the middle on, oldest first, page by page", async () => {
    const first = await readChanges(db, { resourceId: LIST, sinceTime: MIDDLE - 500, limit: 100 });
    expect(first.map((c) => c.seq)).toEqual(seqs.slice(5000, 5100));
    expect(first.every((c) => c.resourceId === LIST)).toBe(true);
    expect(first[0]!.at).toBe(MIDDLE);
    // The next page starts after the last change of this one, as a client continues from its token.
    const second = await readChanges(db, { resourceId: LIST, afterSeq: first.at(-1)!.seq, limit: 100 });
    expect(second.map((c) => c.seq)).toEqual(seqs.slice(5100, 5200));
  });

  it("returns exactly the changes between two times, and nothing for a time after the last change", async () => {
    const window = await readChanges(db, { resourceId: LIST, sinceTime: MIDDLE, untilTime: MIDDLE + 2500 });
    expect(window.map((c) => c.seq)).toEqual(seqs.slice(5000, 5003));
    const late = START + PER_RESOURCE * 1000;
    expect(await readChanges(db, { resourceId: LIST, sinceTime: late })).toEqual([]);
    expect(await readChanges(db, { resourceId: LIST, untilTime: START - 1 })).toEqual([]);
  });
});

/** A plan line that reaches `index` with a bound on `column` (not just the resource). */
function usesIndex(index: string, column: string): RegExp {
  // SQLite: "SEARCH changes USING COVERING INDEX changes_by_resource_time (resource_id=? AND at>?)".
  // PostgreSQL: "Index Only Scan using changes_by_resource_time on changes" and, on the next line,
  // "Index Cond: ((resource_id = 'list-a'::text) AND (at >= '…'::bigint))".
  return new RegExp(
    `(INDEX ${index} \\(resource_id=\\? AND ${column}[<>]|using ${index} on changes[\\s\\S]*Index Cond: .*\\(${column} [<>])`,
  );
}

/**
 * The page read reaches the journal through a seq bound: the `(resource_id, seq)` index with both,
 * or the primary key (seq itself) from the bound on. Which of the two is the planner's choice by
 * how much of the journal the resource holds (here a half, so both take it through the key).
 * SQLite: "SEARCH changes USING INDEX changes_by_resource (resource_id=? AND seq>?)" or "… USING
 * INTEGER PRIMARY KEY (rowid>?)"; PostgreSQL: "Index Cond: (seq > '10000'::bigint)" or with
 * resource_id too.
 */
const boundedBySeq =
  /INDEX changes_by_resource \(resource_id=\? AND seq[<>]|INTEGER PRIMARY KEY \(rowid[<>]|Index Cond: .*\(seq [<>]/;

/** A scan of the whole table, or of a resource's whole journal. */
const fullScan = /SCAN changes|Seq Scan|\(resource_id=\?\)$/m;
