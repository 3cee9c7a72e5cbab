import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../src/clock.js";
import { loadConfig } from "../../src/config/load.js";
import { prunedSeq } from "../../src/store/repositories/journal-pruning.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { driveClient } from "./client.js";
import { journalChanges } from "../helpers/journal.js";

describe("journal pruning", () => {
  let t: TestNudge;
  afterEach(async () => {
    await t?.stop();
  });

  it("removes changes older than journal.retentionDays and remembers the highest pruned seq", async () => {
    t = await startTestNudge({ config: { journal: { retentionDays: 7 } } });
    const s = t.nudge.services;
    const alice = await s.identity.authenticate(t.demo.users.alice.token);
    const drive = await s.resources.ensureOwn(alice, "drive");
    const [old] = await journalChanges(s, drive, [{ item: "a", kind: "add" }], alice.userId);
    t.clock.advance(6 * DAY);
    const [recent] = await journalChanges(s, drive, [{ item: "b", kind: "add" }], alice.userId);
    t.clock.advance(2 * DAY);
    const result = await s.feed.prune();
    expect(result).toMatchObject({ resources: 1, changes: 1 });
    expect((await s.feed.page({ resourceId: drive.id })).map((c) => c.seq)).toEqual([recent]);
    expect(await prunedSeq(t.nudge.db, drive.id)).toBe(old);
    expect(await s.feed.prune()).toMatchObject({ changes: 0 });
    expect(await prunedSeq(t.nudge.db, drive.id)).toBe(old);
  });

  it("prunes one resource when asked, leaving the others' journals alone", async () => {
    t = await startTestNudge({ config: { journal: { retentionDays: 1 } } });
    const s = t.nudge.services;
    const alice = await s.identity.authenticate(t.demo.users.alice.token);
    const one = await s.resources.create(alice, { kind: "external", title: "one" });
    const two = await s.resources.create(alice, { kind: "external", title: "two" });
    await journalChanges(s, one, [{ item: "x", kind: "add" }], alice.userId);
    await journalChanges(s, two, [{ item: "y", kind: "add" }], alice.userId);
    t.clock.advance(2 * DAY);
    await s.feed.prune(one.id);
    expect(await s.feed.page({ resourceId: one.id })).toEqual([]);
    expect(await s.feed.page({ resourceId: two.id })).toHaveLength(1);
  });

  it("forgets deleted drive items with the journal entries that announced them", async () => {
    t = await startTestNudge({ config: { journal: { retentionDays: 30 } } });
    const alice = driveClient(t, "alice");
    const file = await alice.put(`/v1.0/me/drive/root:/gone.txt:/content`, "x");
    await alice.delete(`/v1.0/me/drive/items/${file.json.id}`);
    const tombstones = () =>
      t.nudge.db.selectFrom("items").select("item_key").where("item_type", "=", "deleted").execute();
    expect(await tombstones()).toHaveLength(1);
    t.clock.advance(31 * DAY);
    expect(await t.nudge.services.feed.prune()).toMatchObject({ tombstones: 1 });
    expect(await tombstones()).toHaveLength(0);
  });
});

describe("journal.retentionDays", () => {
  it("comes from NUDGE_JOURNAL_RETENTION_DAYS and is 30 days by default", () => {
    expect(loadConfig({ env: {} }).journal.retentionDays).toBe(30);
    expect(loadConfig({ env: { NUDGE_JOURNAL_RETENTION_DAYS: "7" } }).journal.retentionDays).toBe(7);
    expect(() => loadConfig({ env: { NUDGE_JOURNAL_RETENTION_DAYS: "0" } })).toThrow(
      /journal\.retentionDays/,
    );
  });
});
