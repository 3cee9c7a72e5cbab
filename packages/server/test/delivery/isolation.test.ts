import { afterEach, describe, expect, it } from "vitest";
import { listAttempts } from "../../src/store/repositories/attempts.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { neverAnswer, TestReceiver } from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("endpoint isolation", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("does not let a receiver that never answers delay deliveries to a healthy one", async () => {
    t = await startTestNudge({ config: { delivery: { endpointConcurrency: 2, timeoutMs: 3000 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/dead", neverAnswer);
    const slowList = await sharePointList(t, "Slow");
    const fastList = await sharePointList(t, "Fast");
    const dead = await slowList.subscribe(receiver.url("/dead"));
    await fastList.subscribe(receiver.url("/fast"));

    // Fill the dead endpoint's slots, then keep changing both lists.
    await slowList.change();
    await receiver.waitForNotifications(1, "/dead");
    const started = Date.now();
    for (let i = 0; i < 5; i++) {
      await slowList.change();
      await fastList.change();
      await receiver.waitForNotifications(i + 1, "/fast");
    }
    expect(Date.now() - started).toBeLessThan(2000);
    expect(receiver.notifications("/dead").length).toBeLessThanOrEqual(2);

    // The dead endpoint's attempt ends by the time-out and is recorded as such.
    await t.settle();
    expect((await listAttempts(t.nudge.db, { subscriptionIds: [dead.id], limit: 5 })).length).toBeGreaterThan(
      0,
    );
    const [attempt] = await listAttempts(t.nudge.db, { subscriptionIds: [dead.id], limit: 5 });
    expect(attempt).toMatchObject({ statusCode: null, outcome: "failed" });
    expect(attempt!.error).toContain("timed out after 3000 ms");
  });
});

describe("the slow lane and the endpoint breaker", () => {
  let t: TestNudge;
  const receivers: TestReceiver[] = [];
  afterEach(async () => {
    await t?.stop();
    for (const r of receivers.splice(0)) await r.close();
  });

  async function receiversPair() {
    const healthy = await TestReceiver.start();
    const dead = await TestReceiver.start();
    receivers.push(healthy, dead);
    dead.respond("/dead", neverAnswer);
    return { healthy, dead };
  }

  it("lets a healthy receiver have the node's slots while an endpoint that never answers has its quarter", async () => {
    // Eight slots in all, and eight notifications for an endpoint that never answers: without
    // isolation they would hold every slot until the 5 s time-out.
    t = await startTestNudge({ config: { delivery: { globalConcurrency: 8, timeoutMs: 5000 } } });
    const { healthy, dead } = await receiversPair();
    const lists = await Promise.all(Array.from({ length: 8 }, (_, i) => sharePointList(t, `Dead ${i}`)));
    const deadSubscriptions = [];
    for (const [i, list] of lists.entries())
      deadSubscriptions.push(await list.subscribe(dead.url(`/dead?n=${i}`)));
    const fast = await sharePointList(t, "Fast");
    await fast.subscribe(healthy.url("/fast"));
    for (const list of lists) await list.change();
    await dead.waitForNotifications(2);
    await fast.change();
    await healthy.waitForNotifications(1, "/fast");
    // Delivered while the dead endpoint's POSTs were still out, and it had only its quarter.
    expect(
      await listAttempts(t.nudge.db, { subscriptionIds: deadSubscriptions.map((s) => s.id), limit: 10 }),
    ).toEqual([]);
    expect(dead.notifications()).toHaveLength(2);
  });

  it("parks an endpoint whose POSTs time out, sends nothing to it until the park ends, then probes it with one POST", async () => {
    t = await startTestNudge({
      config: { delivery: { parkAfterTimeouts: 2, timeoutMs: 300, nativeRetrySeconds: [60, 600] } },
    });
    const { dead } = await receiversPair();
    const lists = await Promise.all(["A", "B", "C"].map((title) => sharePointList(t, title)));
    for (const list of lists) await list.subscribe(dead.url("/dead"));
    // Two time-outs in a row park it (its notifications are retried by SharePoint's rules meanwhile).
    await lists[0]!.change();
    await lists[1]!.change();
    await dead.waitForNotifications(2, "/dead");
    await t.settle();
    // Parked: changes to the third list go nowhere, however the retry schedules move.
    await lists[2]!.change();
    t.clock.advance(30_000);
    await t.settle();
    expect(dead.notifications("/dead")).toHaveLength(2);
    // The park (60 s) ends: one probe, which times out and parks it again (600 s).
    t.clock.advance(31_000);
    await t.settle();
    expect(dead.notifications("/dead")).toHaveLength(3);
    t.clock.advance(60_000);
    await t.settle();
    expect(dead.notifications("/dead")).toHaveLength(3);
  });
});
