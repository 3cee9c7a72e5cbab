/**
 * Graph subscriptions `/v1.0/subscriptions` over real HTTP: the create, get, list, renew and
 * delete answers and shapes; which resources and change types are accepted; lifetime limits;
 * what a caller may see; and Graph's error shape for every refusal, with nothing stored.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MINUTE } from "../../src/clock.js";
import { listSubscriptions } from "../../src/store/repositories/subscriptions.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import type { Api } from "../native/api.js";
import { apiClient } from "../native/api.js";
import { expectGraphError, graphClients, subscriptionBody } from "./graph-api.js";

describe("Graph subscriptions", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let alice: Api;
  let bob: Api;

  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    ({ alice, bob } = graphClients(t));
  });
  afterEach(async () => {
    await receiver.close();
    await t.stop();
  });

  const storedCount = async () =>
    (await listSubscriptions(t.nudge.db, t.nudge.services.ctx.secrets, { tenantId: t.demo.tenantId })).length;

  it("creates a subscription on /me/drive/root and answers 201 with Graph's fields", async () => {
    const expirationDateTime = new Date(t.clock.now() + 60 * MINUTE).toISOString();
    const res = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, {
        expirationDateTime,
        lifecycleNotificationUrl: receiver.url("/lifecycle"),
      }),
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      "@odata.context": `${t.url}/v1.0/$metadata#subscriptions/$entity`,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      resource: "/me/drive/root",
      applicationId: t.demo.app.clientId,
      changeType: "updated",
      clientState: "client-specific string",
      notificationUrl: receiver.url("/graph"),
      notificationQueryOptions: null,
      lifecycleNotificationUrl: receiver.url("/lifecycle"),
      expirationDateTime,
      creatorId: t.demo.users.alice.id,
      includeResourceData: false,
      latestSupportedTlsVersion: "v1_2",
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
      notificationContentType: "application/json",
    });
  });

  it("builds @odata.context from the Host the client called", async () => {
    const viaLocalhost = apiClient(`${t.url.replace("127.0.0.1", "localhost")}/v1.0`, t.auth.alice);
    const res = await viaLocalhost.post("/subscriptions", subscriptionBody(receiver));
    expect(res.body["@odata.context"]).toBe(
      `${t.url.replace("127.0.0.1", "localhost")}/v1.0/$metadata#subscriptions/$entity`,
    );
  });

  it("accepts me/drive/root without the leading slash and echoes it with one", async () => {
    const res = await alice.post("/subscriptions", subscriptionBody(receiver, { resource: "me/drive/root" }));
    expect(res.status).toBe(201);
    expect(res.body.resource).toBe("/me/drive/root");
  });

  it("accepts /drives/{id}/root and /users/{id}/drive/root for the caller's own drive", async () => {
    const principal = await t.nudge.services.identity.authenticate(t.demo.users.alice.token);
    const drive = await t.nudge.services.resources.ensureOwn(principal, "drive");
    for (const resource of [`/drives/${drive.id}/root`, `/users/${t.demo.users.alice.id}/drive/root`]) {
      const res = await alice.post("/subscriptions", subscriptionBody(receiver, { resource }));
      expect(res.status, resource).toBe(201);
      expect(res.body.resource).toBe(resource);
    }
    const stored = await listSubscriptions(t.nudge.db, t.nudge.services.ctx.secrets, {
      tenantId: t.demo.tenantId,
    });
    expect(stored.map((s) => s.resourceId)).toEqual([drive.id, drive.id]);
  });

  it("subscribes to another user's drive only when it is shared with the caller", async () => {
    const aliceId = t.demo.users.alice.id;
    const refused = await bob.post(
      "/subscriptions",
      subscriptionBody(receiver, { resource: `/users/${aliceId}/drive/root` }),
    );
    expectGraphError(refused, 404, "itemNotFound");

    const principal = await t.nudge.services.identity.authenticate(t.demo.users.alice.token);
    const drive = await t.nudge.services.resources.ensureOwn(principal, "drive");
    await t.nudge.services.identity.grant(t.demo.tenantId, drive.id, t.demo.users.bob.id);
    const res = await bob.post(
      "/subscriptions",
      subscriptionBody(receiver, { resource: `/users/${aliceId}/drive/root` }),
    );
    expect(res.status).toBe(201);
    expect(res.body.creatorId).toBe(t.demo.users.bob.id);
  });

  it("refuses resources other than a drive root with 400 InvalidRequest naming the resource", async () => {
    for (const resource of ["/me/drive/items/123", "/me/messages", "/drives/x/items/y", "/me/drive", ""]) {
      const res = await alice.post("/subscriptions", subscriptionBody(receiver, { resource }));
      expectGraphError(
        res,
        400,
        "InvalidRequest",
        new RegExp(`^Resource '${escape(resource)}' is not supported`),
      );
    }
    expect(receiver.handshakes()).toEqual([]);
    expect(await storedCount()).toBe(0);
  });

  it("refuses every changeType but updated with 400 InvalidRequest", async () => {
    for (const changeType of ["created", "deleted", "updated,deleted", "Updated", ""]) {
      const res = await alice.post("/subscriptions", subscriptionBody(receiver, { changeType }));
      expectGraphError(res, 400, "InvalidRequest", new RegExp(`changeType '${changeType}' is not supported`));
    }
    expect(await storedCount()).toBe(0);
  });

  it("refuses a clientState longer than 128 characters", async () => {
    const ok = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, { clientState: "x".repeat(128) }),
    );
    expect(ok.status).toBe(201);
    const res = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, { clientState: "x".repeat(129) }),
    );
    expectGraphError(res, 400, "InvalidRequest", /clientState/);
    expect(await storedCount()).toBe(1);
  });

  it("gives a subscription without expirationDateTime the maximum lifetime, 42,300 minutes by default", async () => {
    const res = await alice.post("/subscriptions", subscriptionBody(receiver));
    expect(res.body.expirationDateTime).toBe(new Date(t.clock.now() + 42_300 * MINUTE).toISOString());
  });

  it("refuses an expirationDateTime beyond the maximum lifetime in Graph's words", async () => {
    const atMax = new Date(t.clock.now() + 42_300 * MINUTE).toISOString();
    expect(
      (await alice.post("/subscriptions", subscriptionBody(receiver, { expirationDateTime: atMax }))).status,
    ).toBe(201);
    const beyond = new Date(t.clock.now() + 42_301 * MINUTE).toISOString();
    const res = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, { expirationDateTime: beyond }),
    );
    expectGraphError(
      res,
      400,
      "InvalidRequest",
      "Subscription expiration can only be 42300 minutes in the future.",
    );
    expect(await storedCount()).toBe(1);
  });

  it("takes the maximum lifetime from surfaces.graph.maxLifetimeMinutes", async () => {
    await t.stop();
    t = await startTestNudge({ config: { surfaces: { graph: { maxLifetimeMinutes: 4230 } } } });
    ({ alice } = graphClients(t));
    const res = await alice.post("/subscriptions", subscriptionBody(receiver));
    expect(res.body.expirationDateTime).toBe(new Date(t.clock.now() + 4230 * MINUTE).toISOString());
    const beyond = new Date(t.clock.now() + 4231 * MINUTE).toISOString();
    const refused = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, { expirationDateTime: beyond }),
    );
    expectGraphError(
      refused,
      400,
      "InvalidRequest",
      "Subscription expiration can only be 4230 minutes in the future.",
    );
  });

  it("refuses an expirationDateTime in the past or not a date", async () => {
    for (const expirationDateTime of [new Date(t.clock.now() - MINUTE).toISOString(), "next week"]) {
      const res = await alice.post("/subscriptions", subscriptionBody(receiver, { expirationDateTime }));
      expectGraphError(res, 400, "InvalidRequest");
    }
    expect(await storedCount()).toBe(0);
  });

  it("refuses wrong types and missing fields with 400, before any handshake", async () => {
    const bodies = [
      subscriptionBody(receiver, { changeType: 1 }),
      subscriptionBody(receiver, { notificationUrl: ["http://x"] }),
      subscriptionBody(receiver, { resource: null }),
      subscriptionBody(receiver, { expirationDateTime: 1_900_000_000 }),
      subscriptionBody(receiver, { clientState: 5 }),
      subscriptionBody(receiver, { includeResourceData: "false" }),
      { changeType: "updated", resource: "/me/drive/root" },
      { notificationUrl: receiver.url("/graph"), resource: "/me/drive/root" },
    ];
    for (const body of bodies) {
      expectGraphError(
        await alice.post("/subscriptions", body),
        400,
        "InvalidRequest",
        /^The request body is not valid/,
      );
    }
    expect(receiver.handshakes()).toEqual([]);
    expect(await storedCount()).toBe(0);
  });

  it("refuses a body that is not JSON with 400 BadRequest", async () => {
    const res = await fetch(`${t.url}/v1.0/subscriptions`, {
      method: "POST",
      headers: { ...t.auth.alice, "content-type": "application/json" },
      body: '{"changeType":"updated",',
    });
    expectGraphError({ status: res.status, headers: res.headers, body: await res.json() }, 400, "BadRequest");
    expect(await storedCount()).toBe(0);
  });

  it("refuses includeResourceData: true (driveItem notifications carry no data)", async () => {
    const res = await alice.post("/subscriptions", subscriptionBody(receiver, { includeResourceData: true }));
    expectGraphError(res, 400, "InvalidRequest", /includeResourceData/);
    expect(await storedCount()).toBe(0);
  });

  it("refuses a notificationUrl that is not an absolute http(s) URL", async () => {
    const res = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, { notificationUrl: "/relative" }),
    );
    expectGraphError(res, 400, "InvalidRequest", /notificationUrl/);
    expect(await storedCount()).toBe(0);
  });

  it("answers 401 InvalidAuthenticationToken without a valid bearer token", async () => {
    const anonymous = apiClient(`${t.url}/v1.0`);
    expectGraphError(await anonymous.get("/subscriptions"), 401, "InvalidAuthenticationToken");
    const forged = apiClient(`${t.url}/v1.0`, { authorization: "Bearer nope" });
    expectGraphError(
      await forged.post("/subscriptions", subscriptionBody(receiver)),
      401,
      "InvalidAuthenticationToken",
    );
    expect(await storedCount()).toBe(0);
  });

  it("gets a subscription by id with its clientState", async () => {
    const created = await alice.post("/subscriptions", subscriptionBody(receiver));
    const res = await alice.get(`/subscriptions/${created.body.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created.body);
  });

  it("lists the caller's subscriptions with clientState null", async () => {
    const first = await alice.post("/subscriptions", subscriptionBody(receiver));
    const second = await alice.post("/subscriptions", subscriptionBody(receiver, { clientState: "other" }));
    const res = await alice.get("/subscriptions");
    expect(res.status).toBe(200);
    expect(res.body["@odata.context"]).toBe(`${t.url}/v1.0/$metadata#subscriptions`);
    const { "@odata.context": _first, ...firstFields } = first.body;
    const { "@odata.context": _second, ...secondFields } = second.body;
    expect(res.body.value).toHaveLength(2);
    expect(res.body.value).toEqual(
      expect.arrayContaining([
        { ...firstFields, clientState: null },
        { ...secondFields, clientState: null },
      ]),
    );
  });

  it("shows a user neither another user's subscriptions nor another app's", async () => {
    const created = await alice.post("/subscriptions", subscriptionBody(receiver));
    expect((await bob.get("/subscriptions")).body.value).toEqual([]);
    expectGraphError(await bob.get(`/subscriptions/${created.body.id}`), 404, "ResourceNotFound");
    expectGraphError(await bob.delete(`/subscriptions/${created.body.id}`), 404, "ResourceNotFound");

    const identity = t.nudge.services.identity;
    const { app } = await identity.createApp(t.demo.tenantId, { name: "Other app" });
    const token = await identity.issueToken(t.demo.tenantId, app.id, t.demo.users.alice.id, [
      "Files.ReadWrite",
    ]);
    const otherApp = apiClient(`${t.url}/v1.0`, { authorization: `Bearer ${token}` });
    expect((await otherApp.get("/subscriptions")).body.value).toEqual([]);
    expectGraphError(await otherApp.get(`/subscriptions/${created.body.id}`), 404, "ResourceNotFound");
    expectGraphError(
      await otherApp.patch(`/subscriptions/${created.body.id}`, {
        expirationDateTime: new Date(t.clock.now() + MINUTE).toISOString(),
      }),
      404,
      "ResourceNotFound",
    );
    expect((await alice.get(`/subscriptions/${created.body.id}`)).status).toBe(200);
  });

  it("renews a subscription with PATCH expirationDateTime and answers 200 with the subscription", async () => {
    const created = await alice.post("/subscriptions", subscriptionBody(receiver));
    const expirationDateTime = new Date(t.clock.now() + 3 * 24 * 60 * MINUTE).toISOString();
    const res = await alice.patch(`/subscriptions/${created.body.id}`, { expirationDateTime });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...created.body, expirationDateTime });
    expect((await alice.get(`/subscriptions/${created.body.id}`)).body.expirationDateTime).toBe(
      expirationDateTime,
    );
  });

  it("refuses a PATCH that changes anything but expirationDateTime, and changes nothing", async () => {
    const created = await alice.post("/subscriptions", subscriptionBody(receiver));
    const expirationDateTime = new Date(t.clock.now() + 60 * MINUTE).toISOString();
    const res = await alice.patch(`/subscriptions/${created.body.id}`, {
      expirationDateTime,
      notificationUrl: receiver.url("/elsewhere"),
    });
    expectGraphError(
      res,
      400,
      "InvalidRequest",
      "Only expirationDateTime can be changed on a subscription; 'notificationUrl' cannot.",
    );
    expectGraphError(await alice.patch(`/subscriptions/${created.body.id}`, {}), 400, "InvalidRequest");
    expect((await alice.get(`/subscriptions/${created.body.id}`)).body).toEqual(created.body);
  });

  it("refuses a renewal beyond the maximum lifetime", async () => {
    const created = await alice.post("/subscriptions", subscriptionBody(receiver));
    const beyond = new Date(t.clock.now() + 42_301 * MINUTE).toISOString();
    const res = await alice.patch(`/subscriptions/${created.body.id}`, { expirationDateTime: beyond });
    expectGraphError(
      res,
      400,
      "InvalidRequest",
      "Subscription expiration can only be 42300 minutes in the future.",
    );
  });

  it("deletes a subscription with 204, after which it is not found", async () => {
    const created = await alice.post("/subscriptions", subscriptionBody(receiver));
    const res = await alice.delete(`/subscriptions/${created.body.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expectGraphError(await alice.get(`/subscriptions/${created.body.id}`), 404, "ResourceNotFound");
    expectGraphError(await alice.delete(`/subscriptions/${created.body.id}`), 404, "ResourceNotFound");
    expect(await storedCount()).toBe(0);
  });

  it("answers 404 for an unknown id on get, renew and delete", async () => {
    const id = "00000000-0000-0000-0000-000000000000";
    expectGraphError(await alice.get(`/subscriptions/${id}`), 404, "ResourceNotFound");
    expectGraphError(
      await alice.patch(`/subscriptions/${id}`, {
        expirationDateTime: new Date(t.clock.now() + MINUTE).toISOString(),
      }),
      404,
      "ResourceNotFound",
    );
    expectGraphError(await alice.delete(`/subscriptions/${id}`), 404, "ResourceNotFound");
  });

  it("does not list subscriptions of the other surfaces", async () => {
    const principal = await t.nudge.services.identity.authenticate(t.demo.users.alice.token);
    const drive = await t.nudge.services.resources.ensureOwn(principal, "drive");
    await t.nudge.services.subscriptions.create(principal, drive, t.nudge.services.profiles.native, {
      notificationUrl: receiver.url("/native"),
    });
    expect((await alice.get("/subscriptions")).body.value).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
