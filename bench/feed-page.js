/**
 * Change-feed page benchmark (not a test): how the time to read one page of a change feed after a
 * token grows with the length of the journal, on every surface that has a feed. Run with
 * `npm run bench:feed` (builds first).
 *
 * Two SQLite databases, each opened (and migrated) by the server's own `openDatabase`, so the
 * schema and indexes are the real ones. Each holds four resources, one per kind of feed, and each
 * resource has a journal of 1,000 changes in one and 1,000,000 in the other, one change a second,
 * the four journals interleaved as they would be in one node's `changes` table; written in bulk
 * with better-sqlite3, then ANALYZEd. The drive and the notebook container also have their items:
 * the same ITEMS of them in both databases (10,000, or BENCH_ITEMS: a drive of 100 folders and
 * their files; one notebook of 100 sections and their pages), so only the journal's length differs
 * between the two. A delta page loads the drive's whole tree (twice), which is most of its time
 * and the same in both; what grows with the journal is the round's list of changed items. In the
 * small database most items were changed before its journal began (as after pruning); in the large
 * one every item was changed about a hundred times. Each change names a pseudo-random item.
 *
 * From the middle of each journal, one page is read after a token the way each surface reads it:
 * the surface's own parsing of the token or query, then the service its route handler calls
 * (no HTTP):
 *
 *   sharepoint.time       getchanges with `1;3;{list};{ticks};-1` (@pnp/sp's createChangeToken
 *                         from a date): changeQueryOf, then the journal repository
 *   sharepoint.sequence   getchanges with `1;3;{list};{ticks};{seq}` (what getchanges handed out)
 *   native                `/v1/resources/{id}/changes?token=`: decodeChangeToken, feed.page
 *   graph.deltaLink       Graph `…/root/delta?token=` from a deltaLink: the first page of a round
 *                         over the drive's changes since then (drive.delta)
 *   legacy.deltaToken     OneDrive `view.delta?token=` with the `@delta.token` the first page of
 *                         that round handed out: its second page
 *   onenote.newestFirst   OneNote `pages?filter=lastModifiedTime gt {time}&top=100` (default
 *                         order, newest first): parseListOptions, notes.list
 *   onenote.oldestFirst   the same with `orderby=lastModifiedTime asc`, the order a poller reads
 *                         "what changed after the time I last saw" in
 *
 * Pages are 100 entries (changes, driveItems or pages), each checked to be the right one. Warm
 * (the page is read a few times first), then timed BENCH_SAMPLES times (default 25); the median
 * counts. The ratio 1M ÷ 1k says whether a page costs the same however long the journal is (goal
 * ≤ 2). The last line printed is the result as JSON.
 */
import { Buffer } from "node:buffer";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import SQLite from "better-sqlite3";
import { DriveService } from "../packages/server/dist/resources/drive/service.js";
import { encodeDeltaToken } from "../packages/server/dist/resources/drive/delta-token.js";
import { itemIdOf } from "../packages/server/dist/resources/drive/writer.js";
import { ChangeFeed } from "../packages/server/dist/resources/feed.js";
import { NotesService } from "../packages/server/dist/resources/notes/service.js";
import { openDatabase } from "../packages/server/dist/store/open.js";
import { readChanges } from "../packages/server/dist/store/repositories/journal.js";
import { findResourceById } from "../packages/server/dist/store/repositories/resources.js";
import {
  decodeChangeToken,
  encodeChangeToken,
} from "../packages/server/dist/surfaces/native/change-token.js";
import { parseListOptions } from "../packages/server/dist/surfaces/onenote/query.js";
import { oneNoteSpelling, selectableProperties } from "../packages/server/dist/surfaces/onenote/spelling.js";
import { changeQueryOf } from "../packages/server/dist/surfaces/sharepoint/change-query.js";
import { msToTicks } from "../packages/server/dist/surfaces/sharepoint/change-token.js";

const SIZES = [1_000, 1_000_000];
const PAGE = 100;
/** Items of the drive and of the notebook container, the same in both databases. */
const ITEMS = Number(process.env.BENCH_ITEMS ?? 10_000);
const FOLDERS = 100;
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 25);
const WARMUP = 20;
const START = Date.parse("2026-03-01T00:00:00Z");
/** Items the journal does not name were last changed before it began (an hour before its start). */
const BEFORE_JOURNAL = START - 3_600_000;
const TENANT = "bench-tenant";
const OWNER = "bench-user";
const ID = {
  list: "0b5e2c1a-6f3d-4b8e-9a7c-2d4f6e8a0c1b",
  external: "5d1f7a3e-2b9c-4e6a-8f0d-1c3b5a7e9d2f",
  drive: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
  notebooks: "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f",
};
const ALL = { Add: true, Update: true, DeleteObject: true, Item: true, FetchLimit: PAGE };
const principal = { tenantId: TENANT, appId: "bench-app", userId: OWNER, scopes: [] };
const ROOT = { from: "root", path: [] };

const dir = mkdtempSync(join(tmpdir(), "nudge-bench-feed-"));
const results = {};
try {
  for (const size of SIZES) {
    const path = join(dir, `journal-${size}.db`);
    const db = await openDatabase(path);
    try {
      const started = performance.now();
      const written = writeDatabase(path, size);
      log(
        `${size} changes on each of 4 resources, ${ITEMS} items each in the drive and notebooks, written in ${seconds(performance.now() - started)}`,
      );
      results[size] = {};
      for (const [name, read] of Object.entries(await readers(db, written))) {
        const median = await medianMs(read);
        results[size][name] = median;
        log(`  ${name}: one page of ${PAGE} in ${median.toFixed(3)} ms (median of ${SAMPLES})`);
      }
    } finally {
      await db.destroy();
    }
  }
  const [small, large] = SIZES;
  const names = Object.keys(results[large]);
  const ratios = Object.fromEntries(
    names.map((name) => [name, Number((results[large][name] / results[small][name]).toFixed(2))]),
  );
  log(`ratio ${large} ÷ ${small} (goal <= 2): ${names.map((n) => `${n} ${ratios[n]}`).join(", ")}`);
  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      page: PAGE,
      items: ITEMS,
      samples: SAMPLES,
      medianMs: Object.fromEntries(
        SIZES.map((size) => [size, Object.fromEntries(names.map((n) => [n, round3(results[size][n])]))]),
      ),
      ratio: ratios,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * One reader per surface and token: each reads its page the way the surface's route handler does
 * and throws unless it is the page the data says it must be. The services are built over the
 * database alone: the calls timed here read nothing else of their context or collaborators.
 */
async function readers(db, written) {
  const ctx = { db };
  const feed = new ChangeFeed(ctx);
  const drive = new DriveService(ctx, {});
  const notes = new NotesService(ctx, {});
  const driveHandle = {
    resource: await findResourceById(db, ID.drive),
    rootId: written.rootId,
    owner: { id: OWNER, displayName: "Bench" },
    principal,
  };
  const container = await findResourceById(db, ID.notebooks);
  const scope = { principal, home: container, containers: [container] };
  const selectable = selectableProperties(oneNoteSpelling, "page");
  const { list, external, driveRound, notesAfter } = written;

  const sharepoint = (token) => async () => {
    const query = changeQueryOf({ query: { ...ALL, ChangeTokenStart: token } }, ID.list);
    const page = await readChanges(db, query);
    expect(page.length === PAGE && page[0].seq === list.seq, "sharepoint");
  };
  const nativeToken = encodeChangeToken(ID.external, external.seq - 1);
  const deltaLink = encodeDeltaToken(ID.drive, written.rootId, { kind: "after", seq: driveRound.afterSeq });
  const firstPage = await drive.delta(driveHandle, ROOT, { token: deltaLink, top: PAGE });
  const deltaToken = firstPage.nextToken;
  const delta = (token, expected) => async () => {
    const page = await drive.delta(driveHandle, ROOT, { token, top: PAGE });
    const ids = page.items.map((i) => i.id);
    expect(page.nextToken !== null && ids.join() === expected.join(), "drive delta");
  };
  const onenote = (raw, expected) => async () => {
    const { query } = parseListOptions(raw, "page", oneNoteSpelling, selectable);
    const page = await notes.list(scope, "page", query);
    const ids = page.items.map((i) => i.id);
    expect(page.more && ids.join() === expected.join(), "onenote");
  };
  const filter = `lastModifiedTime gt ${new Date(notesAfter.at).toISOString()}`;
  return {
    "sharepoint.time": sharepoint(`1;3;${ID.list};${msToTicks(list.at)};-1`),
    "sharepoint.sequence": sharepoint(`1;3;${ID.list};${msToTicks(list.at)};${list.seq - 1}`),
    native: async () => {
      const after = decodeChangeToken(nativeToken, ID.external);
      // As the route asks: one more than the page, to tell whether another follows.
      const rows = await feed.page({ resourceId: ID.external, afterSeq: after, limit: PAGE + 1 });
      expect(rows.length === PAGE + 1 && rows[0].seq === external.seq, "native");
    },
    "graph.deltaLink": delta(deltaLink, driveRound.ids.slice(0, PAGE)),
    "legacy.deltaToken": delta(deltaToken, driveRound.ids.slice(PAGE, 2 * PAGE)),
    "onenote.newestFirst": onenote({ filter, top: String(PAGE) }, notesAfter.newestFirst),
    "onenote.oldestFirst": onenote(
      { filter, orderby: "lastModifiedTime asc", top: String(PAGE) },
      notesAfter.oldestFirst,
    ),
  };
}

/**
 * Writes the resources, the drive's and the notebooks' items and `size` changes on each resource,
 * in one transaction; then ANALYZE, as a long-lived database would have had. Returns where each
 * feed's page starts (the change in the middle of its journal) and what it must hold.
 */
function writeDatabase(path, size) {
  const sqlite = new SQLite(path);
  // The journal's indexes on item (changes_by_item) take writes all over the file: with SQLite's
  // small default cache, writing them took three times as long as the rest.
  sqlite.pragma("cache_size = -524288");
  try {
    const random = pseudoRandom(size);
    const driveItems = Array.from({ length: ITEMS - 1 }, (_, i) => itemIdOf(ID.drive, i + 1));
    const notePages = Array.from({ length: ITEMS - 1 - FOLDERS }, (_, i) => `page-${i + 1}`);
    /** Per resource, the item each change names, in journal order. */
    const keys = {
      list: (i) => String((i % 5000) + 1),
      external: (i) => `external-${(i % 5000) + 1}`,
      drive: () => driveItems[random(driveItems.length)],
      notebooks: () => notePages[random(notePages.length)],
    };
    const named = { drive: [], notebooks: [] };
    const insert = sqlite.prepare(
      "insert into changes (resource_id, item_key, kind, at, actor_id) values (?, ?, ?, ?, ?)",
    );
    sqlite.transaction(() => {
      writeResources(sqlite);
      for (let i = 0; i < size; i++) {
        const at = START + i * 1000;
        for (const [resource, keyOf] of Object.entries(keys)) {
          const key = keyOf(i);
          if (resource in named) named[resource].push(key);
          insert.run(ID[resource], key, "update", at, OWNER);
        }
      }
      const lastChange = (keysInOrder) => {
        const last = new Map();
        keysInOrder.forEach((key, i) => last.set(key, START + i * 1000));
        return last;
      };
      writeDriveItems(sqlite, driveItems, lastChange(named.drive));
      writeNoteItems(sqlite, notePages, lastChange(named.notebooks));
    })();
    sqlite.exec("analyze");
    const middle = (resource) =>
      sqlite
        .prepare("select seq, at from changes where resource_id = ? order by seq limit 1 offset ?")
        .get(ID[resource], size / 2);
    const drive = middle("drive");
    const notes = middle("notebooks");
    return {
      rootId: itemIdOf(ID.drive, 0),
      list: middle("list"),
      external: middle("external"),
      // A round after the middle change's predecessor: the items changed since, by first change.
      driveRound: { afterSeq: drive.seq - 1, ids: [...new Set(named.drive.slice(size / 2))] },
      notesAfter: { at: notes.at, ...pagesChangedAfter(named.notebooks, size / 2) },
    };
  } finally {
    sqlite.close();
  }
}

function writeResources(sqlite) {
  sqlite.prepare("insert into tenants (id, name, created_at) values (?, ?, ?)").run(TENANT, "Bench", START);
  sqlite
    .prepare("insert into users (id, tenant_id, name, created_at) values (?, ?, ?, ?)")
    .run(OWNER, TENANT, "Bench", START);
  const resource = sqlite.prepare(
    `insert into resources (id, tenant_id, owner_id, kind, site_id, title, template, next_item_number, created_at, modified_at)
     values (?, ?, ?, ?, null, ?, ?, ?, ?, ?)`,
  );
  resource.run(ID.list, TENANT, OWNER, "sharepoint-list", "Bench list", 100, 5001, START, START);
  resource.run(ID.external, TENANT, OWNER, "external", "Bench resource", null, 1, START, START);
  resource.run(ID.drive, TENANT, OWNER, "drive", "OneDrive", null, ITEMS, START, START);
  resource.run(ID.notebooks, TENANT, OWNER, "notebook", "Notebooks", null, 1, START, START);
}

/** The root, FOLDERS folders under it and files spread over the folders, numbered in creation order. */
function writeDriveItems(sqlite, ids, lastChange) {
  const insert = itemInsert(sqlite);
  insert.run(
    ID.drive,
    itemIdOf(ID.drive, 0),
    0,
    JSON.stringify({ size: 0, contentVersion: 1 }),
    BEFORE_JOURNAL,
    null,
    "root",
    "folder",
    null,
  );
  ids.forEach((id, i) => {
    const number = i + 1;
    const folder = number <= FOLDERS;
    const parent = folder
      ? itemIdOf(ID.drive, 0)
      : itemIdOf(ID.drive, ((number - FOLDERS - 1) % FOLDERS) + 1);
    const fields = folder
      ? { size: 0, contentVersion: 1 }
      : { size: 1024, contentVersion: 1, mimeType: "text/plain" };
    const name = folder ? `folder-${number}` : `file-${number}.txt`;
    insert.run(
      ID.drive,
      id,
      number,
      JSON.stringify(fields),
      lastChange.get(id) ?? BEFORE_JOURNAL,
      parent,
      name,
      folder ? "folder" : "file",
      null,
    );
  });
}

/** One notebook, FOLDERS sections in it, and the pages spread over the sections. */
function writeNoteItems(sqlite, pages, lastChange) {
  const insert = itemInsert(sqlite);
  const fields = JSON.stringify({ createdByAppId: "bench-app" });
  const latest = START + lastChange.size * 1000;
  insert.run(ID.notebooks, "notebook-1", null, fields, latest, null, "Notebook", "notebook", null);
  for (let s = 1; s <= FOLDERS; s++)
    insert.run(
      ID.notebooks,
      `section-${s}`,
      null,
      fields,
      latest,
      "notebook-1",
      `Section ${s}`,
      "section",
      null,
    );
  pages.forEach((id, i) => {
    const html = Buffer.from(
      `<html><head><title>Page ${i + 1}</title></head><body><p>Notes</p></body></html>`,
    );
    insert.run(
      ID.notebooks,
      id,
      null,
      fields,
      lastChange.get(id) ?? BEFORE_JOURNAL,
      `section-${(i % FOLDERS) + 1}`,
      `Page ${i + 1}`,
      "page",
      html,
    );
  });
}

function itemInsert(sqlite) {
  const statement = sqlite.prepare(
    `insert into items (resource_id, item_key, number, guid, fields, version, created_at, modified_at,
       created_by, modified_by, parent_key, name, item_type, content)
     values (?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    run: (resource, key, number, fields, modifiedAt, parent, name, type, content) =>
      statement.run(
        resource,
        key,
        number,
        randomUUID(),
        fields,
        BEFORE_JOURNAL,
        modifiedAt,
        OWNER,
        OWNER,
        parent,
        name,
        type,
        content,
      ),
  };
}

/** The pages last changed after change `from` (exclusive): the newest PAGE and the oldest PAGE of them. */
function pagesChangedAfter(keysInOrder, from) {
  const last = new Map();
  keysInOrder.forEach((key, i) => last.set(key, i));
  const after = [...last]
    .filter(([, i]) => i > from)
    .sort((a, b) => a[1] - b[1])
    .map(([key]) => key);
  return { oldestFirst: after.slice(0, PAGE), newestFirst: after.slice(-PAGE).reverse() };
}

/** A small deterministic generator (the same data every run): integers below `n`. */
function pseudoRandom(seed) {
  let state = seed >>> 0 || 1;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 2 ** 32) * n);
  };
}

function expect(condition, what) {
  if (!condition) throw new Error(`wrong page for ${what}`);
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
