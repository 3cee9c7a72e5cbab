/**
 * GetChanges on a list: exactly the changes after a change token, in order, with SharePoint's
 * ChangeType numbers and tokens, the ChangeQuery filters, and `-1` (time-based) tokens.
 *
 * Every test starts from the same history, one minute apart on the fake clock:
 * 12:00 add item 1 · 12:01 update item 1 · 12:02 add item 2 · 12:03 delete item 1.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { ACCEPT, SpClient } from "./sp-client.js";

interface Change {
  ChangeToken: { StringValue: string };
  ChangeType: number;
  ItemId: number;
  Time: string;
}

const ALL = { Add: true, Update: true, DeleteObject: true, Item: true };

function ticks(iso: string): string {
  return (BigInt(Date.parse(iso)) * 10000n + 621355968000000000n).toString();
}

describe("SharePoint GetChanges", () => {
  let t: TestNudge;
  let sp: SpClient;
  let listId: string;

  beforeEach(async () => {
    t = await startTestNudge();
    sp = SpClient.for(t);
    listId = await sp.createList("Docs");
    await sp.addItem(listId, { Title: "one" });
    t.clock.advance(60_000);
    await sp.call("PATCH", `web/lists('${listId}')/items(1)`, { body: { Title: "uno" } });
    t.clock.advance(60_000);
    await sp.addItem(listId, { Title: "two" });
    t.clock.advance(60_000);
    await sp.call("DELETE", `web/lists('${listId}')/items(1)`);
  });
  afterEach(async () => {
    await t.stop();
  });

  async function changes(query: Record<string, unknown>): Promise<Change[]> {
    const res = await sp.getChanges(listId, query);
    expect(res.status).toBe(200);
    return res.json.value as Change[];
  }

  const summary = (list: Change[]) => list.map((c) => [c.ChangeType, c.ItemId]);

  it("returns every change from the beginning, oldest first, as SP.ChangeItem", async () => {
    const all = await changes(ALL);
    expect(summary(all)).toEqual([
      [1, 1],
      [2, 1],
      [1, 2],
      [3, 1],
    ]);
    const web = (await sp.get("web")).json;
    expect(all[1]).toEqual({
      ChangeToken: {
        StringValue: expect.stringMatching(
          new RegExp(`^1;3;${listId};${ticks("2026-03-01T12:01:00Z")};\\d+$`),
        ),
      },
      ChangeType: 2,
      SiteId: web.Id,
      Time: "2026-03-01T12:01:00Z",
      ItemId: 1,
      ListId: listId,
      WebId: web.Id,
    });
  });

  it("returns exactly the changes after a token, in order", async () => {
    const all = await changes(ALL);
    const after = await changes({ ...ALL, ChangeTokenStart: all[1]!.ChangeToken });
    expect(after).toEqual(all.slice(2));
    expect(await changes({ ...ALL, ChangeTokenStart: all[3]!.ChangeToken })).toEqual([]);
  });

  it("accepts the token as a bare string too", async () => {
    const all = await changes(ALL);
    expect(await changes({ ...ALL, ChangeTokenStart: all[2]!.ChangeToken.StringValue })).toEqual(
      all.slice(3),
    );
  });

  it("returns only additions with Add", async () => {
    expect(summary(await changes({ Add: true, Item: true }))).toEqual([
      [1, 1],
      [1, 2],
    ]);
  });

  it("returns only updates with Update", async () => {
    expect(summary(await changes({ Update: true, Item: true }))).toEqual([[2, 1]]);
  });

  it("returns only deletions with DeleteObject", async () => {
    expect(summary(await changes({ DeleteObject: true, Item: true }))).toEqual([[3, 1]]);
  });

  it("returns no item changes when Item is false or absent", async () => {
    expect(await changes({ Add: true, Update: true, DeleteObject: true, Item: false })).toEqual([]);
    expect(await changes({ Add: true, Update: true, DeleteObject: true })).toEqual([]);
  });

  it("returns at most FetchLimit changes, and the last token continues from there", async () => {
    const first = await changes({ ...ALL, FetchLimit: 2 });
    expect(summary(first)).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const rest = await changes({ ...ALL, FetchLimit: 2, ChangeTokenStart: first[1]!.ChangeToken });
    expect(summary(rest)).toEqual([
      [1, 2],
      [3, 1],
    ]);
  });

  it("returns the newest first with LatestFirst", async () => {
    const all = await changes(ALL);
    expect(await changes({ ...ALL, LatestFirst: true })).toEqual([...all].reverse());
  });

  it("stops at ChangeTokenEnd, inclusive", async () => {
    const all = await changes(ALL);
    expect(await changes({ ...ALL, ChangeTokenEnd: all[2]!.ChangeToken })).toEqual(all.slice(0, 3));
    const window = await changes({
      ...ALL,
      ChangeTokenStart: all[0]!.ChangeToken,
      ChangeTokenEnd: all[2]!.ChangeToken,
    });
    expect(window).toEqual(all.slice(1, 3));
  });

  it("reads a -1 start token as 'from that time on'", async () => {
    const all = await changes(ALL);
    const start = `1;3;${listId};${ticks("2026-03-01T12:01:30Z")};-1`;
    expect(await changes({ ...ALL, ChangeTokenStart: { StringValue: start } })).toEqual(all.slice(2));
  });

  it("pages from a -1 token in the middle of a longer journal: exactly the changes from that time on, oldest first", async () => {
    for (let i = 0; i < 8; i++) {
      t.clock.advance(60_000);
      await sp.addItem(listId, { Title: `more ${i}` });
    }
    const all = await changes(ALL);
    expect(all).toHaveLength(12);
    // Between the 6th change (12:05) and the 7th (12:06).
    const start = { StringValue: `1;3;${listId};${ticks("2026-03-01T12:05:30Z")};-1` };
    const first = await changes({ ...ALL, FetchLimit: 4, ChangeTokenStart: start });
    expect(first).toEqual(all.slice(6, 10));
    // A client goes on from the last change's own token.
    const second = await changes({ ...ALL, FetchLimit: 4, ChangeTokenStart: first.at(-1)!.ChangeToken });
    expect(second).toEqual(all.slice(10));
    // Exactly at a change's time includes it.
    const exact = { StringValue: `1;3;${listId};${ticks("2026-03-01T12:06:00Z")};-1` };
    expect(await changes({ ...ALL, FetchLimit: 2, ChangeTokenStart: exact })).toEqual(all.slice(6, 8));
  });

  it("reads a -1 end token as 'up to that time'", async () => {
    const all = await changes(ALL);
    const end = `1;3;${listId};${ticks("2026-03-01T12:01:30Z")};-1`;
    expect(await changes({ ...ALL, ChangeTokenEnd: { StringValue: end } })).toEqual(all.slice(0, 2));
  });

  it("accepts verbose queries with __metadata and True/False strings, and answers verbose", async () => {
    const res = await sp.post(
      `web/lists('${listId}')/GetChanges`,
      {
        query: {
          __metadata: { type: "SP.ChangeQuery" },
          Add: "True",
          Update: "False",
          DeleteObject: "false",
          Item: "True",
        },
      },
      { accept: ACCEPT.verbose },
    );
    expect(res.status).toBe(200);
    const results = res.json.d.results as Array<Change & { __metadata: { type: string } }>;
    expect(summary(results)).toEqual([
      [1, 1],
      [1, 2],
    ]);
    expect(results[0]!.__metadata.type).toBe("SP.ChangeItem");
    expect(results[0]!.ChangeToken).toMatchObject({ __metadata: { type: "SP.ChangeToken" } });
  });

  it("answers minimal metadata with odata.type SP.ChangeItem", async () => {
    const res = await sp.getChanges(listId, { Add: true, Item: true }, { accept: ACCEPT.json });
    expect(res.json["odata.metadata"]).toMatch(/\$metadata#/);
    expect(res.json.value[0]).toMatchObject({ "odata.type": "SP.ChangeItem", ChangeType: 1 });
  });

  it("refuses a token of another list with 400", async () => {
    const other = await sp.createList("Other");
    await sp.addItem(other);
    const theirs = (await sp.getChanges(other, ALL)).json.value[0].ChangeToken;
    const res = await sp.getChanges(listId, { ...ALL, ChangeTokenStart: theirs });
    expect(res.status).toBe(400);
    expect(res.json["odata.error"].message.value).toMatch(/belongs to another list/);
  });

  it("refuses malformed tokens and queries with 400", async () => {
    const bad = [
      { ...ALL, ChangeTokenStart: { StringValue: "garbage" } },
      { ...ALL, ChangeTokenStart: { StringValue: `2;3;${listId};1;1` } },
      { ...ALL, ChangeTokenStart: { StringValue: `1;3;${listId};soon;1` } },
      { ...ALL, ChangeTokenStart: { StringValue: 5 } },
      { ...ALL, FetchLimit: -1 },
      { ...ALL, Add: "maybe" },
    ];
    for (const query of bad) {
      const res = await sp.getChanges(listId, query);
      expect([query, res.status]).toEqual([query, 400]);
    }
    expect((await sp.post(`web/lists('${listId}')/getchanges`, {})).status).toBe(400);
  });

  it("answers a token from before the pruned journal with 410 and SPInvalidChangeTokenException", async () => {
    const all = await changes(ALL);
    const oldToken = all[0]!.ChangeToken;
    const oldTimeToken = { StringValue: `1;3;${listId};${ticks("2026-03-01T12:00:30Z")};-1` };
    t.clock.advance(31 * 24 * 3600_000);
    await sp.addItem(listId, { Title: "three" });
    await t.nudge.services.feed.prune(listId);

    for (const start of [oldToken, oldTimeToken]) {
      const res = await sp.getChanges(listId, { ...ALL, ChangeTokenStart: start });
      expect(res.status).toBe(410);
      expect(res.json["odata.error"].code).toContain("SPInvalidChangeTokenException");
    }
    const latest = all.at(-1)!.ChangeToken;
    const fresh = await sp.getChanges(listId, { ...ALL, ChangeTokenStart: latest });
    expect(fresh.status).toBe(200);
    expect(summary(fresh.json.value as Change[])).toEqual([[1, 3]]);
  });
});
