import { afterEach, describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock.js";
import type { Config } from "../../src/config/defaults.js";
import { startTestNudge, type DeepPartial, type TestNudge } from "@nudge/test-support";
import { answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { changesOf, clientsOf, createResource, subscribe, type Api } from "./api.js";

describe("native delivery record", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let alice: Api;
  let bob: Api;
  let resource: string;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  /** Two retries a minute apart (±10 % jitter), so the third failed attempt is dropped. */
  async function start(config: DeepPartial<Config> = {}) {
    t = await startTestNudge({
      config: { ...config, delivery: { nativeRetrySeconds: [60, 60], ...config.delivery } },
    });
    receiver = await TestReceiver.start();
    ({ alice, bob } = clientsOf(t));
    resource = await createResource(alice);
  }

  const attemptsOf = async (subscriptionId: string) =>
    (await alice.get(`/v1/subscriptions/${subscriptionId}/attempts`)).body.value as Array<
      Record<string, unknown>
    >;

  async function waitForAttempts(subscriptionId: string, count: number) {
    await t.settle();
    const attempts = await attemptsOf(subscriptionId);
    expect(attempts.length).toBeGreaterThanOrEqual(count);
    return attempts;
  }

  /** Reports a change to a receiver answering 500 and runs the retry schedule out on the fake clock. */
  async function dropOneNotification(clientState = "cs") {
    receiver.respond("/hook", answerNotifications(500));
    const sub = await subscribe(alice, resource, receiver.url("/hook"), { clientState });
    await alice.post(`/v1/resources/${resource}/changes`, changesOf("order-1"));
    await waitForAttempts(sub.id, 1);
    for (const count of [2, 3]) {
      t.clock.advance(70 * SECOND);
      await waitForAttempts(sub.id, count);
    }
    await t.settle();
    expect((await alice.get("/v1/dead-letters")).body.value).toHaveLength(1);
    return sub;
  }

  it("lists the attempt of a delivered notification", async () => {
    await start();
    const sub = await subscribe(alice, resource, receiver.url("/hook"));
    await alice.post(`/v1/resources/${resource}/changes`, changesOf("order-1"));
    const [notification] = await receiver.waitForNotifications(1, "/hook");
    const [attempt] = await waitForAttempts(sub.id, 1);
    expect(attempt).toEqual({
      deliveryId: notification!.headers["x-nudge-delivery-id"],
      attempt: 1,
      time: new Date(t.clock.now()).toISOString(),
      statusCode: 200,
      durationMs: expect.any(Number),
      error: null,
      outcome: "delivered",
    });
  });

  it("records the attempts to a failing receiver as failed, with its status code", async () => {
    await start();
    receiver.respond("/hook", answerNotifications(500));
    const sub = await subscribe(alice, resource, receiver.url("/hook"));
    await alice.post(`/v1/resources/${resource}/changes`, changesOf("order-1"));
    await waitForAttempts(sub.id, 1);
    t.clock.advance(70 * SECOND);
    const attempts = await waitForAttempts(sub.id, 2);
    // Newest first.
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.outcome, a.error])).toEqual([
      [2, 500, "failed", "HTTP 500"],
      [1, 500, "failed", "HTTP 500"],
    ]);
    expect((await alice.get("/v1/dead-letters")).body.value).toEqual([]);
  });

  it("limits the attempts listed with ?limit=", async () => {
    await start();
    receiver.respond("/hook", answerNotifications(500));
    const sub = await subscribe(alice, resource, receiver.url("/hook"));
    await alice.post(`/v1/resources/${resource}/changes`, changesOf("order-1"));
    await waitForAttempts(sub.id, 1);
    t.clock.advance(70 * SECOND);
    await waitForAttempts(sub.id, 2);
    const limited = await alice.get(`/v1/subscriptions/${sub.id}/attempts?limit=1`);
    expect(limited.body.value.map((a: { attempt: number }) => a.attempt)).toEqual([2]);
  });

  it("lists a dead letter once the native retry schedule runs out", async () => {
    await start();
    const sub = await dropOneNotification();
    const attempts = await attemptsOf(sub.id);
    expect(attempts.map((a) => a.outcome)).toEqual(["dropped", "failed", "failed"]);

    const [letter] = (await alice.get("/v1/dead-letters")).body.value;
    expect(letter).toEqual({
      id: expect.any(String),
      subscriptionId: sub.id,
      notificationUrl: receiver.url("/hook"),
      changeCount: 1,
      attempts: 3,
      firstAttemptTime: "2026-03-01T12:00:00.000Z",
      droppedTime: new Date(t.clock.now()).toISOString(),
      lastError: "HTTP 500",
      replayedTime: null,
    });
    expect((await alice.get(`/v1/dead-letters/${letter.id}`)).body).toEqual(letter);
    expect((await alice.get(`/v1/dead-letters?subscription=${sub.id}`)).body.value).toEqual([letter]);
    expect((await alice.get(`/v1/subscriptions/${sub.id}`)).body).toMatchObject({
      status: "active",
      consecutiveDrops: 1,
    });
  });

  it("replays a dead letter to a fixed receiver: 202, delivered, replayedTime set", async () => {
    await start();
    const sub = await dropOneNotification("cs-replay");
    const [letter] = (await alice.get("/v1/dead-letters")).body.value;
    receiver.respond("/hook", answerNotifications(200));
    t.clock.advance(10 * SECOND);

    const replayed = await alice.post(`/v1/dead-letters/${letter.id}/replay`);
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual({ ...letter, replayedTime: new Date(t.clock.now()).toISOString() });

    const received = await receiver.waitForNotifications(4, "/hook");
    expect(received.at(-1)!.json).toMatchObject({
      value: [{ subscriptionId: sub.id, clientState: "cs-replay" }],
    });
    const [latest] = await waitForAttempts(sub.id, 4);
    expect(latest).toMatchObject({ attempt: 1, statusCode: 200, outcome: "delivered" });
    expect((await alice.get(`/v1/dead-letters/${letter.id}`)).body.replayedTime).toBe(
      replayed.body.replayedTime,
    );
  });

  it("disables a subscription whose notifications are dropped repeatedly, and refuses to replay for it", async () => {
    await start({ delivery: { disableAfterDrops: 1 } });
    const sub = await dropOneNotification();
    await t.settle();
    expect((await alice.get(`/v1/subscriptions/${sub.id}`)).body.status).toBe("disabled");
    const disabled = (await alice.get(`/v1/subscriptions/${sub.id}`)).body;
    expect(disabled.disabledReason).toContain("dropped");
    expect(disabled.consecutiveDrops).toBe(1);

    const [letter] = (await alice.get("/v1/dead-letters")).body.value;
    const refused = await alice.post(`/v1/dead-letters/${letter.id}/replay`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("subscriptionDisabled");
    expect((await alice.get(`/v1/dead-letters/${letter.id}`)).body.replayedTime).toBeNull();
  });

  it("hides alice's delivery record from bob", async () => {
    await start();
    const sub = await dropOneNotification();
    const [letter] = (await alice.get("/v1/dead-letters")).body.value;
    expect((await bob.get(`/v1/subscriptions/${sub.id}/attempts`)).status).toBe(404);
    expect((await bob.get("/v1/dead-letters")).body.value).toEqual([]);
    const got = await bob.get(`/v1/dead-letters/${letter.id}`);
    expect(got.status).toBe(404);
    expect(got.body.error.code).toBe("deadLetterNotFound");
    expect((await bob.post(`/v1/dead-letters/${letter.id}/replay`)).status).toBe(404);
    expect((await alice.get(`/v1/dead-letters/${letter.id}`)).body.replayedTime).toBeNull();
  });

  it("answers 404 for an unknown dead letter and for the attempts of an unknown subscription", async () => {
    await start();
    const letter = await alice.get("/v1/dead-letters/00000000-0000-0000-0000-000000000000");
    expect(letter.status).toBe(404);
    expect(letter.body.error.code).toBe("deadLetterNotFound");
    const attempts = await alice.get("/v1/subscriptions/00000000-0000-0000-0000-000000000000/attempts");
    expect(attempts.status).toBe(404);
    expect(attempts.body.error.code).toBe("subscriptionNotFound");
  });
});
