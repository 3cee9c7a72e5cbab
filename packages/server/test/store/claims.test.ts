import { afterEach, describe, expect, it } from "vitest";
import { claimMarks, releaseLostClaims } from "../../src/delivery/lost-claims.js";
import { listAttempts } from "../../src/store/repositories/attempts.js";
import type { SecretBox } from "../../src/crypto/secret-box.js";
import { openDatabase, type Db } from "../../src/store/open.js";
import { claimDueMarks, heldMarks, releaseClaimsOf } from "../../src/store/repositories/claims.js";
import { insertMark } from "../../src/store/repositories/pending-marks.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";

/** Claims as the dispatchers of two nodes make them, each on its own connections. */
describe("claiming pending marks", () => {
  let t: TestNudge | undefined;
  const opened: Db[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.destroy();
    await t?.stop();
    t = undefined;
  });

  async function withMarks(
    count: number,
  ): Promise<{ now: number; node: () => Promise<Db>; secrets: SecretBox }> {
    t = await startTestNudge();
    // Claiming looks at marks alone: made-up subscriptions and URLs are enough (nothing is sent).
    // They fall due an hour from the node's clock, so its own dispatcher leaves them to the test.
    const now = t.clock.now() + 3_600_000;
    for (let i = 0; i < count; i++) {
      await insertMark(t.nudge.db, {
        subscriptionId: `subscription-${i % 7}`,
        notificationUrl: `http://127.0.0.1:9/hook/${i % 5}`,
        firstSeq: i + 1,
        lastSeq: i + 1,
        changeCount: 1,
        now,
      });
    }
    const dbPath = t.dbPath;
    return {
      now,
      secrets: t.nudge.services.ctx.secrets,
      node: async () => {
        const db = await openDatabase(dbPath);
        opened.push(db);
        return db;
      },
    };
  }

  it("never gives the same mark to two nodes claiming at the same time", async () => {
    const { now, node, secrets } = await withMarks(300);
    const nodes = [await node(), await node(), await node()];
    const claimedBy = new Map<number, string>();
    let duplicates = 0;
    await Promise.all(
      nodes.map(async (db, n) => {
        for (;;) {
          const claimed = await claimDueMarks(db, {
            nodeId: `node-${n}`,
            now,
            leaseMs: 60_000,
            limit: 7,
            skipUrls: [],
            secrets,
          });
          if (claimed.length === 0) return;
          for (const mark of claimed) {
            if (claimedBy.has(mark.id)) duplicates++;
            claimedBy.set(mark.id, `node-${n}`);
          }
        }
      }),
    );
    expect(duplicates).toBe(0);
    expect(claimedBy.size).toBe(300);
  });

  it("lets another node take a mark over once its lease has ended, and not before", async () => {
    const { now, node, secrets } = await withMarks(1);
    const [a, b] = [await node(), await node()];
    const claim = (db: Db, nodeId: string, at: number) =>
      claimDueMarks(db, { nodeId, now: at, leaseMs: 1000, limit: 10, skipUrls: [], secrets });
    const [mark] = await claim(a, "node-a", now);
    expect(mark).toBeDefined();
    expect(await claim(b, "node-b", now + 999)).toEqual([]);
    expect((await claim(b, "node-b", now + 1001)).map((m) => m.id)).toEqual([mark!.id]);
    // The first node's late outcome finds the mark no longer its own, and leaves it alone.
    expect(await heldMarks(a, "node-a", [mark!.id])).toEqual(new Set());
    expect(await heldMarks(b, "node-b", [mark!.id])).toEqual(new Set([mark!.id]));
  });

  it("leaves the marks a node is sending to it, even past their lease, with no unknown attempt", async () => {
    const { now, node, secrets } = await withMarks(1);
    const a = await node();
    const options = { nodeId: "node-a", leaseMs: 1000, limit: 10, skipUrls: [], secrets };
    const [mark] = await claimMarks(a, { ...options, now });
    // The clock jumped past the lease while the POST was out: the mark is still being sent.
    const sending = new Set([mark!.id]);
    expect((await claimMarks(a, { ...options, now: now + 1001 }, sending)).map((m) => m.id)).toEqual([
      mark!.id,
    ]);
    expect(await listAttempts(a, { limit: 10 })).toEqual([]);
    // A mark it is not sending any more is a lost claim, taken over with an unknown attempt.
    expect((await claimMarks(a, { ...options, now: now + 2002 })).map((m) => m.id)).toEqual([mark!.id]);
    expect((await listAttempts(a, { limit: 10 })).map((x) => x.outcome)).toEqual(["unknown"]);
  });

  it("releases only the starting node's own stale claims, never another node's", async () => {
    const { now, node, secrets } = await withMarks(4);
    const [a, b] = [await node(), await node()];
    const options = { now, leaseMs: 60_000, limit: 2, skipUrls: [], secrets };
    await claimDueMarks(a, { ...options, nodeId: "node-a" });
    const ofB = await claimDueMarks(b, { ...options, nodeId: "node-b" });
    expect(await releaseClaimsOf(a, "node-a")).toHaveLength(2);
    const again = await claimDueMarks(a, { ...options, nodeId: "node-a", limit: 10 });
    expect(again.map((m) => m.id).sort()).not.toContain(ofB[0]!.id);
    expect(again).toHaveLength(2);
  });

  it("records the attempts of claims a dead process left as unknown when its node starts again", async () => {
    const { now, node, secrets } = await withMarks(3);
    const a = await node();
    const leaseMs = 60_000;
    const claimed = await claimDueMarks(a, {
      nodeId: "node-a",
      now,
      leaseMs,
      limit: 2,
      skipUrls: [],
      secrets,
    });
    expect(await releaseLostClaims(a, { nodeId: "node-a", ownOnly: true, leaseMs })).toBe(2);
    const attempts = await listAttempts(a, { limit: 10 });
    expect(attempts.map((x) => [x.markId, x.outcome, x.attempt, x.at, x.deliveryId]).sort()).toEqual(
      claimed.map((m) => [m.id, "unknown", 1, now, null]).sort(),
    );
    // Released: due again at once, for any node.
    expect(
      await claimDueMarks(a, { nodeId: "node-b", now, leaseMs, limit: 10, skipUrls: [], secrets }),
    ).toHaveLength(3);
  });
});
