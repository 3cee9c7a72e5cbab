/**
 * What a Graph client sees when Nudge removes a subscription whose receiver keeps failing: the
 * lifecycle URL hears `missed` and `subscriptionRemoved`, and the subscription is gone from the
 * API (404, not listed), as Graph hides the subscriptions it removed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { expectGraphError, graphClients, subscriptionBody } from "./graph-api.js";

type Lifecycle = { value: Array<{ subscriptionId: string; lifecycleEvent: string }> };

describe("Graph subscriptions removed after persistent failure", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await receiver?.close();
    await t?.stop();
  });

  it("are 404 and unlisted once removed, after subscriptionRemoved went to the lifecycle URL", async () => {
    t = await startTestNudge({ config: { delivery: { disableAfterDrops: 1 } } });
    receiver = await TestReceiver.start();
    receiver.respond("/graph", answerNotifications(500));
    const { alice } = graphClients(t);
    const created = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, { lifecycleNotificationUrl: receiver.url("/lifecycle") }),
    );
    expect(created.status).toBe(201);

    const upload = await fetch(`${t.url}/v1.0/me/drive/root:/notes/a.txt:/content`, {
      method: "PUT",
      headers: { ...t.auth.alice, "content-type": "text/plain" },
      body: "hello",
    });
    expect(upload.status).toBe(201);
    const start = t.clock.now();
    await receiver.waitForNotifications(1, "/graph");
    await t.settle();
    // OneDrive's back-off: 1, 2, 4, 8 minutes; nothing is tried after 15 minutes.
    for (const [n, minute] of [1, 3, 7, 15].entries()) {
      t.clock.set(start + minute * MINUTE);
      await receiver.waitForNotifications(n + 2, "/graph");
      await t.settle();
    }
    // The two events may come in one POST or two.
    const lifecycleEvents = () =>
      receiver
        .notifications("/lifecycle")
        .flatMap((e) => (e.json as Lifecycle).value.map((v) => [v.subscriptionId, v.lifecycleEvent]));
    await t.settle();
    expect(lifecycleEvents()).toEqual([
      [created.body.id, "missed"],
      [created.body.id, "subscriptionRemoved"],
    ]);

    expectGraphError(await alice.get(`/subscriptions/${created.body.id}`), 404, "ResourceNotFound");
    expect((await alice.get("/subscriptions")).body.value).toEqual([]);
    const renewal = { expirationDateTime: new Date(t.clock.now() + 60 * MINUTE).toISOString() };
    expectGraphError(
      await alice.patch(`/subscriptions/${created.body.id}`, renewal),
      404,
      "ResourceNotFound",
    );
  });
});
