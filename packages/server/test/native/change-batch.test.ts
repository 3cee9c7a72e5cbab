import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver, type ReceivedRequest } from "../helpers/receiver.js";
import { clientsOf, createResource, subscribe, type Api } from "./api.js";

describe("native change batch across resources (POST /v1/changes)", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let alice: Api;
  let bob: Api;
  let orders: string;
  let invoices: string;
  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    ({ alice, bob } = clientsOf(t));
    orders = await createResource(alice, "Orders");
    invoices = await createResource(alice, "Invoices");
  });
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  const items = async (resource: string) =>
    (await alice.get(`/v1/resources/${resource}/changes?limit=1000`)).body.value.map(
      (c: { item: string; kind: string }) => `${c.item}:${c.kind}`,
    );

  it("journals each change on its own resource, answers a token per resource, and notifies each resource's subscriptions", async () => {
    const ordersSubscription = await subscribe(alice, orders, receiver.url("/orders"));
    const invoicesSubscription = await subscribe(alice, invoices, receiver.url("/invoices"));
    const reported = await alice.post("/v1/changes", {
      changes: [
        { resource: orders, item: "o-1", kind: "add" },
        { resource: invoices, item: "i-1", kind: "add" },
        { resource: orders, item: "o-1", kind: "update" },
      ],
    });
    expect(reported.status).toBe(201);
    expect(reported.body).toEqual({
      count: 3,
      resources: [
        { id: orders, count: 2, token: expect.any(String) },
        { id: invoices, count: 1, token: expect.any(String) },
      ],
    });
    expect(await items(orders)).toEqual(["o-1:add", "o-1:update"]);
    expect(await items(invoices)).toEqual(["i-1:add"]);

    // Each token stands after its resource's changes: reading from it gives nothing yet.
    for (const { id, token } of reported.body.resources) {
      const after = await alice.get(`/v1/resources/${id}/changes?token=${encodeURIComponent(token)}`);
      expect(after.body).toMatchObject({ value: [], hasMore: false });
    }

    await t.settle();
    const [toOrders] = await receiver.waitForNotifications(1, "/orders");
    const [toInvoices] = await receiver.waitForNotifications(1, "/invoices");
    const subscriptionOf = (r: ReceivedRequest) =>
      (r.json as { value: Array<{ subscriptionId: string }> }).value[0]!.subscriptionId;
    expect(subscriptionOf(toOrders!)).toBe(ordersSubscription.id);
    expect(subscriptionOf(toInvoices!)).toBe(invoicesSubscription.id);
  });

  it("writes nothing when one of the resources is not the caller's: 404 resourceNotFound naming it", async () => {
    const bobs = await createResource(bob, "Bob's");
    const refused = await alice.post("/v1/changes", {
      changes: [
        { resource: orders, item: "o-1", kind: "add" },
        { resource: bobs, item: "b-1", kind: "add" },
      ],
    });
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({
      error: { code: "resourceNotFound", message: expect.stringContaining(bobs) },
    });
    expect(await items(orders)).toEqual([]);
    expect((await bob.get(`/v1/resources/${bobs}/changes`)).body.value).toEqual([]);
  });

  it("writes nothing when one of the resources keeps its own items (not external): 400 invalidRequest", async () => {
    const services = t.nudge.services;
    const principal = await services.identity.authenticate(
      t.auth.alice.authorization!.replace(/^Bearer /, ""),
    );
    const own = await services.resources.create(principal, { kind: "sharepoint-list", title: "Tasks" });
    const refused = await alice.post("/v1/changes", {
      changes: [
        { resource: orders, item: "o-1", kind: "add" },
        { resource: own.id, item: "x", kind: "update" },
      ],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: "invalidRequest",
      message: expect.stringContaining(own.id),
    });
    expect(await items(orders)).toEqual([]);
  });

  it("refuses a change without its resource, an unknown kind, an empty batch and 1001 changes with 400 invalidRequest", async () => {
    const bodies = [
      { changes: [{ item: "a", kind: "add" }] },
      { changes: [{ resource: orders, item: "a", kind: "created" }] },
      { changes: [] },
      { changes: Array.from({ length: 1001 }, (_, i) => ({ resource: orders, item: `i${i}`, kind: "add" })) },
    ];
    for (const body of bodies) {
      const refused = await alice.post("/v1/changes", body);
      expect(refused.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(refused.body.error.code).toBe("invalidRequest");
    }
    expect(await items(orders)).toEqual([]);
  });

  it("accepts 1000 changes over many resources in one batch", async () => {
    const resources = [
      orders,
      invoices,
      ...(await Promise.all([1, 2, 3].map((i) => createResource(alice, `r${i}`)))),
    ];
    const changes = Array.from({ length: 1000 }, (_, i) => ({
      resource: resources[i % resources.length],
      item: `i${i}`,
      kind: "add",
    }));
    const reported = await alice.post("/v1/changes", { changes });
    expect(reported.status).toBe(201);
    expect(reported.body.resources.map((r: { id: string; count: number }) => [r.id, r.count])).toEqual(
      resources.map((id) => [id, 200]),
    );
    expect(await items(invoices)).toHaveLength(200);
  });
});
