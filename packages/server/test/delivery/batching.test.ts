import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("coalescing and batching", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("combines changes within the coalescing window into one notification", async () => {
    t = await startTestNudge({ config: { delivery: { coalesceWindowMs: 10_000 } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    await fx.subscribe(receiver.url("/hook"));
    await fx.change(20);
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    t.clock.advance(10_000);
    const [post] = await receiver.waitForNotifications(1);
    expect((post!.json as { value: unknown[] }).value).toHaveLength(1);
    await t.settle();
    expect(receiver.notifications()).toHaveLength(1);
  });

  it("sends a window of 0 at once", async () => {
    t = await startTestNudge({ config: { delivery: { coalesceWindowMs: 0 } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    await receiver.waitForNotifications(1);
  });

  it("puts subscriptions on the same URL into one POST, and caps its size", async () => {
    t = await startTestNudge({ config: { delivery: { maxBatchSize: 2, coalesceWindowMs: 1000 } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await fx.subscribe(receiver.url("/hook"), `s${i}`)).id);
    await fx.change(3);
    t.clock.advance(1000);
    const posts = await receiver.waitForNotifications(3);
    await t.settle();
    expect(receiver.notifications()).toHaveLength(3);
    const sizes = posts.map((p) => (p.json as { value: unknown[] }).value.length).sort();
    expect(sizes).toEqual([1, 2, 2]);
    const seen = posts.flatMap((p) =>
      (p.json as { value: Array<{ subscriptionId: string }> }).value.map((v) => v.subscriptionId),
    );
    expect(seen.sort()).toEqual(ids.sort());
  });

  it("gives every delivery its own id header", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    await fx.subscribe(receiver.url("/a"));
    await fx.subscribe(receiver.url("/b"));
    await fx.change();
    const posts = await receiver.waitForNotifications(2);
    const ids = posts.map((p) => p.headers["x-nudge-delivery-id"]);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(2);
    expect(posts[0]!.headers["content-type"]).toContain("application/json");
  });

  it("announces a change made while the previous notification is being sent", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    receiver.respond("/hook", async (request, res) => {
      if (request.query.has("validationtoken")) {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end(request.query.get("validationtoken"));
        return;
      }
      if (++calls === 1) await held;
      res.writeHead(200);
      res.end();
    });
    const fx = await sharePointList(t);
    await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    await receiver.waitForNotifications(1);
    // The first POST is in flight; this change must get a mark of its own.
    await fx.change();
    release();
    await receiver.waitForNotifications(2);
    await t.settle();
    expect(await t.nudge.services.deliveries.pendingCount()).toBe(0);
  });
});
