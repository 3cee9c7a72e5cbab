/**
 * Change-feed page benchmark (not a test): how the time to read one page of a resource's change
 * feed grows with the length of its journal. Run with `npm run bench:feed` (builds first).
 *
 * Two SQLite databases, each opened (and migrated) by the server's own `openDatabase`, so the
 * schema and indexes are the real ones: one resource with 1,000 changes, one with 1,000,000, one
 * change a second, written in bulk with better-sqlite3. In each, one page of 100 changes is read
 * from the middle of the journal the way SharePoint's `getchanges` reads it (the surface's own
 * `changeQueryOf`, then the journal repository):
 *
 *   time token      `1;3;{list};{ticks};-1` (what @pnp/sp's createChangeToken builds from a date)
 *   sequence token  `1;3;{list};{ticks};{seq}` (what a previous getchanges handed out)
 *
 * Warm (the page is read a few times first), then timed BENCH_SAMPLES times (default 25); the
 * median counts. The ratio 1M ÷ 1k says whether a page costs the same however long the journal
 * is (goal ≤ 2). The last line printed is the result as JSON.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { openDatabase } from "../packages/server/dist/store/open.js";
import { readChanges } from "../packages/server/dist/store/repositories/journal.js";
import { changeQueryOf } from "../packages/server/dist/surfaces/sharepoint/change-query.js";
import { msToTicks } from "../packages/server/dist/surfaces/sharepoint/change-token.js";

const SIZES = [1_000, 1_000_000];
const PAGE = 100;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 25);
const WARMUP = 20;
const LIST_ID = "0b5e2c1a-6f3d-4b8e-9a7c-2d4f6e8a0c1b";
const START = Date.parse("2026-03-01T00:00:00Z");
const ALL = { Add: true, Update: true, DeleteObject: true, Item: true, FetchLimit: PAGE };

const dir = mkdtempSync(join(tmpdir(), "nudge-bench-feed-"));
const results = {};
try {
  for (const size of SIZES) {
    const path = join(dir, `journal-${size}.db`);
    const db = await openDatabase(path);
    try {
      const started = performance.now();
      const middle = writeJournal(path, size);
      log(`${size} changes written in ${seconds(performance.now() - started)}`);
      // Both tokens name the same position: the page starts with the middle change.
      const tokens = {
        time: `1;3;${LIST_ID};${msToTicks(middle.at)};-1`,
        sequence: `1;3;${LIST_ID};${msToTicks(middle.at)};${middle.seq - 1}`,
      };
      results[size] = {};
      for (const [name, token] of Object.entries(tokens)) {
        const query = changeQueryOf({ query: { ...ALL, ChangeTokenStart: token } }, LIST_ID);
        const median = await medianMs(async () => {
          const page = await readChanges(db, query);
          if (page.length !== PAGE || page[0].seq !== middle.seq)
            throw new Error(`wrong page for the ${name} token`);
        });
        results[size][name] = median;
        log(`  ${name} token: one page of ${PAGE} in ${median.toFixed(3)} ms (median of ${SAMPLES})`);
      }
    } finally {
      await db.destroy();
    }
  }
  const [small, large] = SIZES;
  const ratio = (name) => Number((results[large][name] / results[small][name]).toFixed(2));
  const ratios = { time: ratio("time"), sequence: ratio("sequence") };
  log(`ratio ${large} ÷ ${small}: time token ${ratios.time}, sequence token ${ratios.sequence} (goal <= 2)`);
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      page: PAGE,
      samples: SAMPLES,
      medianMs: Object.fromEntries(
        SIZES.map((size) => [
          size,
          { time: round3(results[size].time), sequence: round3(results[size].sequence) },
        ]),
      ),
      ratio: ratios,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `size` changes on the list, one a second from START, in one transaction; then ANALYZE, as a
 * long-lived database would have had. Returns the seq and time of the change in the middle.
 */
function writeJournal(path, size) {
  const sqlite = new SQLite(path);
  try {
    const insert = sqlite.prepare(
      "insert into changes (resource_id, item_key, kind, at, actor_id) values (?, ?, ?, ?, null)",
    );
    sqlite.transaction(() => {
      for (let i = 0; i < size; i++) insert.run(LIST_ID, String((i % 5000) + 1), "update", START + i * 1000);
    })();
    sqlite.exec("analyze");
    return sqlite.prepare("select seq, at from changes order by seq limit 1 offset ?").get(size / 2);
  } finally {
    sqlite.close();
  }
}

async function medianMs(read) {
  for (let i = 0; i < WARMUP; i++) await read();
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function log(line) {
  console.log(line);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

function round3(n) {
  return Number(n.toFixed(3));
}
