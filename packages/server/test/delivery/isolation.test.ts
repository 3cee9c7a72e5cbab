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
