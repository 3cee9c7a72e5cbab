import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, HOUR } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { changesOf, clientsOf, createResource, subscribe, type Api } from "./api.js";

describe("native subscriptions", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let alice: Api;
  let bob: Api;
  let resource: string;
  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    ({ alice, bob } = clientsOf(t));
    resource = await createResource(alice);
  });
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  const iso = (ms: number) => new Date(ms).toISOString();

  it("creates a subscription after a handshake that uses validationToken, and answers 201", async () => {
    const created = await alice.post("/v1/subscriptions", {
      resource,
      notificationUrl: receiver.url("/hook"),
      clientState: "secret-state",
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      resource,
      notificationUrl: receiver.url("/hook"),
      clientState: "secret-state",
      expirationDateTime: iso(t.clock.now() + 180 * DAY),
      createdDateTime: iso(t.clock.now()),
      status: "active",
      disabledReason: null,
      consecutiveDrops: 0,
    });
    const [handshake] = receiver.handshakes("/hook");
    expect(handshake!.query.get("validationToken")).toEqual(expect.any(String));
    expect(handshake!.query.has("validationtoken")).toBe(false);
    expect(handshake!.body).toBe("");
  });

  it("refuses a subscription whose handshake fails with 400 notificationUrlValidationFailed, storing nothing", async () => {
    receiver.respond("/broken", (_request, res) => {
      res.writeHead(500);
      res.end();
    });
    const refused = await alice.post("/v1/subscriptions", {
      resource,
      notificationUrl: receiver.url("/broken"),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("notificationUrlValidationFailed");
    expect(refused.body.error.message).toContain(receiver.url("/broken"));
    expect(receiver.handshakes("/broken")).toHaveLength(1);
    expect((await alice.get("/v1/subscriptions")).body.value).toEqual([]);
  });

  it("refuses a receiver that answers the handshake without echoing the token", async () => {
    receiver.respond("/wrong-echo", (_request, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("something else");
    });
    const refused = await alice.post("/v1/subscriptions", {
      resource,
      notificationUrl: receiver.url("/wrong-echo"),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("notificationUrlValidationFailed");
    expect((await alice.get("/v1/subscriptions")).body.value).toEqual([]);
  });

  it("lists subscriptions, all or of one resource", async () => {
    const other = await createResource(alice, "Other");
    const first = await subscribe(alice, resource, receiver.url("/a"));
    const second = await subscribe(alice, other, receiver.url("/b"));
    const all = await alice.get("/v1/subscriptions");
    expect(all.status).toBe(200);
    // Both were made at the same fake-clock instant: the order between them is not part of the contract.
    expect(all.body.value.map((s: { id: string }) => s.id).sort()).toEqual([first.id, second.id].sort());
    const ofOne = await alice.get(`/v1/subscriptions?resource=${other}`);
    expect(ofOne.body.value).toEqual([second]);
  });

  it("gets a subscription by id", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"));
    const got = await alice.get(`/v1/subscriptions/${created.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created);
  });

  it("renews a subscription by PATCH and answers 200 with it", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"), {
      expirationDateTime: iso(t.clock.now() + DAY),
    });
    const renewed = await alice.patch(`/v1/subscriptions/${created.id}`, {
      expirationDateTime: iso(t.clock.now() + 30 * DAY),
      clientState: "new-state",
    });
    expect(renewed.status).toBe(200);
    expect(renewed.body).toEqual({
      ...created,
      expirationDateTime: iso(t.clock.now() + 30 * DAY),
      clientState: "new-state",
    });
    expect((await alice.get(`/v1/subscriptions/${created.id}`)).body).toEqual(renewed.body);
  });

  it("clears clientState when PATCH sets it to null", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"), { clientState: "old" });
    const cleared = await alice.patch(`/v1/subscriptions/${created.id}`, { clientState: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.clientState).toBeNull();
  });

  it("refuses a PATCH without a body", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"));
    const refused = await alice.patch(`/v1/subscriptions/${created.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalidRequest");
  });

  it("validates a new notificationUrl by PATCH with a fresh handshake", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"));
    receiver.respond("/broken", (_request, res) => {
      res.writeHead(404);
      res.end();
    });
    const refused = await alice.patch(`/v1/subscriptions/${created.id}`, {
      notificationUrl: receiver.url("/broken"),
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("notificationUrlValidationFailed");
    expect((await alice.get(`/v1/subscriptions/${created.id}`)).body.notificationUrl).toBe(
      receiver.url("/hook"),
    );

    const moved = await alice.patch(`/v1/subscriptions/${created.id}`, {
      notificationUrl: receiver.url("/new"),
    });
    expect(moved.status).toBe(200);
    expect(moved.body.notificationUrl).toBe(receiver.url("/new"));
    expect(receiver.handshakes("/new")).toHaveLength(1);
  });

  it("deletes a subscription with 204, after which it is 404", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"));
    const deleted = await alice.delete(`/v1/subscriptions/${created.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    const got = await alice.get(`/v1/subscriptions/${created.id}`);
    expect(got.status).toBe(404);
    expect(got.body.error.code).toBe("subscriptionNotFound");
    expect((await alice.delete(`/v1/subscriptions/${created.id}`)).status).toBe(404);
  });

  it("answers 404 resourceNotFound for a subscription to an unknown resource, storing nothing", async () => {
    const refused = await alice.post("/v1/subscriptions", {
      resource: "00000000-0000-0000-0000-000000000000",
      notificationUrl: receiver.url("/hook"),
    });
    expect(refused.status).toBe(404);
    expect(refused.body.error.code).toBe("resourceNotFound");
    expect(receiver.handshakes()).toHaveLength(0);
  });

  it("hides alice's subscriptions from bob", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"));
    expect((await bob.get(`/v1/subscriptions/${created.id}`)).status).toBe(404);
    expect((await bob.get("/v1/subscriptions")).body.value).toEqual([]);
    expect((await bob.delete(`/v1/subscriptions/${created.id}`)).status).toBe(404);
    expect(
      (await bob.post("/v1/subscriptions", { resource, notificationUrl: receiver.url("/b") })).status,
    ).toBe(404);
  });

  it.each([
    ["a number as notificationUrl", { notificationUrl: 42 }, "invalidRequest", "notificationUrl"],
    ["a missing notificationUrl", { notificationUrl: undefined }, "invalidRequest", "notificationUrl"],
    ["an object as clientState", { clientState: { a: 1 } }, "invalidRequest", "clientState"],
    ["a clientState of 129 characters", { clientState: "x".repeat(129) }, "clientStateTooLong", "129"],
    ["an ftp:// URL", { notificationUrl: "ftp://127.0.0.1/hook" }, "invalidNotificationUrl", "ftp"],
    ["a relative URL", { notificationUrl: "/hook" }, "invalidNotificationUrl", "/hook"],
    ["an unparsable expiration", { expirationDateTime: "next tuesday" }, "invalidExpiration", "next tuesday"],
    [
      "an expiration in the past",
      { expirationDateTime: "2026-02-01T00:00:00Z" },
      "invalidExpiration",
      "past",
    ],
    [
      "an expiration beyond 180 days",
      { expirationDateTime: "2026-10-01T00:00:00Z" },
      "invalidExpiration",
      "180",
    ],
  ])("refuses %s with 400 and stores nothing", async (_what, patch, code, mention) => {
    const refused = await alice.post("/v1/subscriptions", {
      resource,
      notificationUrl: receiver.url("/hook"),
      ...patch,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe(code);
    expect(refused.body.error.message).toContain(mention);
    expect((await alice.get("/v1/subscriptions")).body.value).toEqual([]);
  });

  it("accepts a clientState of exactly 128 characters", async () => {
    const created = await subscribe(alice, resource, receiver.url("/hook"), { clientState: "x".repeat(128) });
    expect(created.clientState).toHaveLength(128);
  });

  it("delivers the native notification, with a delivery id header, after a change is reported", async () => {
    const sub = await subscribe(alice, resource, receiver.url("/hook"), { clientState: "cs-1" });
    await alice.post(`/v1/resources/${resource}/changes`, changesOf("order-1"));
    const [notification] = await receiver.waitForNotifications(1, "/hook");
    expect(notification!.json).toEqual({
      value: [
        {
          subscriptionId: sub.id,
          resource,
          tenantId: t.demo.tenantId,
          clientState: "cs-1",
          expirationDateTime: sub.expirationDateTime,
        },
      ],
    });
    expect(notification!.headers["x-nudge-delivery-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(notification!.headers["content-type"]).toMatch(/^application\/json/);
  });

  it("sends nothing to an expired subscription and shows it as expired", async () => {
    const expiring = await subscribe(alice, resource, receiver.url("/expired"), {
      expirationDateTime: iso(t.clock.now() + HOUR),
    });
    t.clock.advance(2 * HOUR);
    // A live subscription on the same resource: once it is notified, the expired one would have been too.
    const live = await subscribe(alice, resource, receiver.url("/live"));
    await alice.post(`/v1/resources/${resource}/changes`, changesOf("order-1"));
    await receiver.waitForNotifications(1, "/live");
    await t.settle();
    expect(await t.nudge.services.deliveries.pendingCount()).toBe(0);
    expect(receiver.notifications("/expired")).toHaveLength(0);

    expect((await alice.get(`/v1/subscriptions/${expiring.id}`)).body.status).toBe("expired");
    const listed = (await alice.get("/v1/subscriptions")).body.value;
    expect(listed.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      [expiring.id, "expired"],
      [live.id, "active"],
    ]);
  });

  it("renewing an expired subscription makes it active again", async () => {
    const sub = await subscribe(alice, resource, receiver.url("/hook"), {
      expirationDateTime: iso(t.clock.now() + HOUR),
    });
    t.clock.advance(2 * HOUR);
    const renewed = await alice.patch(`/v1/subscriptions/${sub.id}`, {
      expirationDateTime: iso(t.clock.now() + DAY),
    });
    expect(renewed.body.status).toBe("active");
  });
});
