/**
 * A node that dies with a notification in flight leaves its claim behind. When the claim is taken
 * over, the attempt that may have reached the receiver is recorded as `unknown` before the
 * notification is sent again, so the delivery history has every POST.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MINUTE, SECOND } from "../../src/clock.js";
import { listAttempts } from "../../src/store/repositories/attempts.js";
import { claimDueMarks } from "../../src/store/repositories/claims.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { sharePointList } from "./fixtures.js";

describe("claims lost with their node", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("records the attempt of a node that died mid-delivery as unknown, then the re-sent one", async () => {
    const leaseMs = MINUTE;
    // A minute's coalescing window: the mark is due only when the test has let a "dead node" claim it.
    t = await startTestNudge({ config: { delivery: { coalesceWindowMs: MINUTE, leaseMs } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    const due = t.clock.now() + MINUTE;
    // Another node claims the mark when it falls due, starts the POST, and dies.
    const [lost] = await claimDueMarks(t.nudge.db, {
      secrets: t.nudge.services.ctx.secrets,
      nodeId: "dead-node",
      now: due,
      leaseMs,
      limit: 10,
      skipUrls: [],
    });
    expect(lost?.subscriptionId).toBe(sub.id);

    // This node takes the claim over once the dead node's lease has ended.
    t.clock.set(due + leaseMs + 1);
    await receiver.waitForNotifications(1, "/hook");
    await t.settle();
    expect((await listAttempts(t.nudge.db, { subscriptionIds: [sub.id], limit: 10 })).length).toBe(2);
    const response = await fetch(`${t.url}/v1/subscriptions/${sub.id}/attempts`, { headers: t.auth.alice });
    const { value } = (await response.json()) as { value: Array<Record<string, unknown>> };
    expect(value).toEqual([
      expect.objectContaining({ attempt: 1, outcome: "delivered", statusCode: 200 }),
      {
        deliveryId: null,
        attempt: 1,
        time: new Date(due).toISOString(),
        statusCode: null,
        durationMs: null,
        error: expect.stringContaining("outcome unknown: node dead-node"),
        outcome: "unknown",
      },
    ]);
  });

  it("keeps the retry schedule of a notification whose attempt outcome was lost", async () => {
    t = await startTestNudge({ config: { delivery: { coalesceWindowMs: MINUTE, leaseMs: 30 * SECOND } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(t);
    const sub = await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    const due = t.clock.now() + MINUTE;
    await claimDueMarks(t.nudge.db, {
      secrets: t.nudge.services.ctx.secrets,
      nodeId: "dead-node",
      now: due,
      leaseMs: 30 * SECOND,
      limit: 10,
      skipUrls: [],
    });
    t.clock.set(due + 30 * SECOND + 1);
    await receiver.waitForNotifications(1, "/hook");
    await t.settle();
    expect(await t.nudge.services.deliveries.pendingCount(sub.id)).toBe(0);
    const attempts = await listAttempts(t.nudge.db, { subscriptionIds: [sub.id], limit: 10 });
    // Neither a failure (no retry delay, no drop) nor a success: the re-send is attempt 1 again.
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, "delivered"],
      [1, "unknown"],
    ]);
  });
});
