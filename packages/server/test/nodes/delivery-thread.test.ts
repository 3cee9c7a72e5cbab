/**
 * The dispatcher in a thread of its own (`delivery.thread: "worker"`, the default for a node on the
 * system clock): notifications reach the receiver, rings from change reports wake the thread,
 * `idle()` answers across threads, and a graceful stop hands back nothing lost.
 */
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { DeliveryThread } from "../../src/node/delivery-thread.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { changesOf, clientsOf, createResource, subscribe } from "../native/api.js";

describe("delivery thread", () => {
  let t: TestNudge | null = null;
  let receiver: TestReceiver | null = null;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
    t = null;
    receiver = null;
  });

  it("delivers from a worker thread on the system clock, and idle() answers across threads", async () => {
    receiver = await TestReceiver.start();
    t = await startTestNudge({ clock: systemClock, config: { delivery: { coalesceWindowMs: 0 } } });
    expect(t.nudge.dispatcher).toBeInstanceOf(DeliveryThread);
    expect(t.nudge.dispatcher.state).toBe("running");
    const { alice } = clientsOf(t);
    const resource = await createResource(alice);
    const sub = await subscribe(alice, resource, receiver.url("/hook"));
    // Each report rings the main thread's doorbell; only the forwarded ring (or a poll) wakes the thread.
    for (let i = 0; i < 3; i++) {
      await alice.post(`/v1/resources/${resource}/changes`, changesOf(`order-${i}`));
      const notification = await receiver.nextNotification("/hook");
      expect(JSON.stringify(notification.body)).toContain(sub.id);
    }
    await t.settle();
    // Settled across threads: every due delivery has been made and recorded.
    const attempts = (await alice.get(`/v1/subscriptions/${sub.id}/attempts`)).body.value as unknown[];
    expect(attempts).toHaveLength(receiver.count("/hook"));
  });

  it("stops gracefully: the thread ends and the node closes its database after it", async () => {
    t = await startTestNudge({ clock: systemClock });
    const dispatcher = t.nudge.dispatcher;
    expect(dispatcher).toBeInstanceOf(DeliveryThread);
    await t.stop();
    t = null;
    expect(dispatcher.state).toBe("stopped");
  });

  it("stays on the main thread when configured so", async () => {
    t = await startTestNudge({ clock: systemClock, config: { delivery: { thread: "main" } } });
    expect(t.nudge.dispatcher).not.toBeInstanceOf(DeliveryThread);
  });
});
