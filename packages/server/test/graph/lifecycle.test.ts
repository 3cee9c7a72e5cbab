/**
 * reauthorizationRequired through the Graph API: a subscription with a lifecycleNotificationUrl is
 * told to renew shortly before it expires, and renewing it (PATCH) arms the reminder again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { graphClients, subscriptionBody } from "./graph-api.js";

type Lifecycle = { value: Array<Record<string, unknown>> };

describe("Graph lifecycle events", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await receiver?.close();
    await t?.stop();
  });

  it("sends reauthorizationRequired an hour before expiry, and again after a renewal", async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    const { alice } = graphClients(t);
    const start = t.clock.now();
    const created = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, {
        lifecycleNotificationUrl: receiver.url("/lifecycle"),
        expirationDateTime: new Date(start + 120 * MINUTE).toISOString(),
      }),
    );
    expect(created.status).toBe(201);

    t.clock.set(start + 59 * MINUTE);
    await t.settle();
    expect(receiver.notifications("/lifecycle")).toEqual([]);

    t.clock.set(start + 61 * MINUTE);
    const [first] = await receiver.waitForNotifications(1, "/lifecycle");
    expect((first!.json as Lifecycle).value).toEqual([
      {
        subscriptionId: created.body.id,
        subscriptionExpirationDateTime: created.body.expirationDateTime,
        tenantId: t.demo.tenantId,
        clientState: "client-specific string",
        lifecycleEvent: "reauthorizationRequired",
      },
    ]);
    // Once per expiry, however often the dispatcher looks.
    await t.settle();
    expect(receiver.notifications("/lifecycle")).toHaveLength(1);

    const expirationDateTime = new Date(start + 240 * MINUTE).toISOString();
    expect((await alice.patch(`/subscriptions/${created.body.id}`, { expirationDateTime })).status).toBe(200);
    t.clock.set(start + 181 * MINUTE);
    const events = await receiver.waitForNotifications(2, "/lifecycle");
    expect((events[1]!.json as Lifecycle).value).toEqual([
      expect.objectContaining({
        lifecycleEvent: "reauthorizationRequired",
        subscriptionExpirationDateTime: expirationDateTime,
      }),
    ]);
  });
});
