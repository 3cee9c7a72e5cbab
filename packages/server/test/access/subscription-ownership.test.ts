/**
 * A subscription belongs to the user who made it. Sharing a resource (a grant) lets another user
 * see it, read its feed and subscribe to it, never act on the owner's subscriptions: to a grantee,
 * to another user of the tenant and to a user of another tenant, alice's subscription, its
 * attempts and its dead letters do not exist (404 in each surface's format), and nothing changes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SECOND } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { addUser, addUserOfAnotherTenant } from "../helpers/users.js";
import { apiClient, changesOf, createResource, subscribe, type Api } from "../native/api.js";
import { SpClient } from "../sharepoint/sp-client.js";

interface Intruder {
  name: string;
  auth: Record<string, string>;
  /** Whether the intruder can see alice's resources (bob, through a grant). */
  sees: boolean;
}

describe("who may act on a subscription", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let alice: Api;
  let intruders: Intruder[];
  let resource: string;
  let native: { id: string; deadLetter: string };
  let list: string;
  let sharePoint: string;
  let graph: string;

  beforeAll(async () => {
    t = await startTestNudge({ config: { delivery: { nativeRetrySeconds: [60] } } });
    receiver = await TestReceiver.start();
    alice = apiClient(t.url, t.auth.alice);
    const admin = apiClient(t.url, { authorization: `Bearer ${t.adminToken}` });
    const carol = await addUser(t, "carol");
    const dave = await addUserOfAnotherTenant(t, "dave");
    intruders = [
      { name: "a grantee (bob)", auth: t.auth.bob, sees: true },
      { name: "another user of the tenant (carol)", auth: carol.auth, sees: false },
      { name: "a user of another tenant (dave)", auth: dave.auth, sees: false },
    ];
    const grant = (resourceId: string) =>
      admin.post(`/admin/tenants/${t.demo.tenantId}/grants`, { resourceId, userId: t.demo.users.bob.id });

    // Native: a subscription with one dead letter (the receiver fails both attempts).
    resource = await createResource(alice);
    expect(
      (await alice.post(`/v1/resources/${resource}/grants`, { userId: t.demo.users.bob.id })).status,
    ).toBe(204);
    receiver.respond("/alice-native", answerNotifications(500));
    const sub = await subscribe(alice, resource, receiver.url("/alice-native"), {
      clientState: "alice-secret",
    });
    await alice.post(`/v1/resources/${resource}/changes`, changesOf("order-1"));
    await t.settle();
    expect((await alice.get(`/v1/subscriptions/${sub.id}/attempts`)).body.value.length).toBe(1);
    t.clock.advance(70 * SECOND);
    await t.settle();
    expect((await alice.get("/v1/dead-letters")).body.value.length).toBe(1);
    native = { id: sub.id, deadLetter: (await alice.get("/v1/dead-letters")).body.value[0].id };

    // SharePoint: a list shared with bob and alice's subscription on it.
    const sp = SpClient.for(t, "alice");
    list = await sp.createList("Shared");
    expect((await grant(list)).status).toBe(204);
    sharePoint = (
      await sp.subscribe(list, { notificationUrl: receiver.url("/alice-sp"), clientState: "sp-secret" })
    ).json.id;

    // Graph: alice's drive shared with bob and her subscription on its root.
    const graphAlice = apiClient(t.url, t.auth.alice);
    const drive = (await graphAlice.get("/v1.0/me/drive")).body;
    expect((await grant(drive.id)).status).toBe(204);
    const created = await graphAlice.post("/v1.0/subscriptions", {
      changeType: "updated",
      notificationUrl: receiver.url("/alice-graph"),
      resource: "/me/drive/root",
      clientState: "graph-secret",
    });
    expect(created.status).toBe(201);
    graph = created.body.id;
  });
  afterAll(async () => {
    await t?.stop();
    await receiver?.close();
  });

  const each = (test: (who: Intruder) => Promise<void>) => async () => {
    for (const who of intruders) await test(who);
  };

  describe("native", () => {
    it(
      "answers 404 subscriptionNotFound to reading, changing and deleting alice's subscription, and changes nothing",
      each(async (who) => {
        const api = apiClient(t.url, who.auth);
        const calls = [
          await api.get(`/v1/subscriptions/${native.id}`),
          await api.patch(`/v1/subscriptions/${native.id}`, { notificationUrl: receiver.url("/intruder") }),
          await api.patch(`/v1/subscriptions/${native.id}`, { clientState: "mine now" }),
          await api.delete(`/v1/subscriptions/${native.id}`),
          await api.get(`/v1/subscriptions/${native.id}/attempts`),
        ];
        for (const answer of calls) {
          expect(answer.status, who.name).toBe(404);
          expect(answer.body.error.code, who.name).toBe("subscriptionNotFound");
        }
        const mine = (await alice.get(`/v1/subscriptions/${native.id}`)).body;
        expect(mine.notificationUrl).toBe(receiver.url("/alice-native"));
        expect(mine.clientState).toBe("alice-secret");
        expect(receiver.handshakes("/intruder")).toEqual([]);
      }),
    );

    it(
      "lists none of alice's subscriptions, on the shared resource or anywhere",
      each(async (who) => {
        const api = apiClient(t.url, who.auth);
        expect((await api.get("/v1/subscriptions")).body.value, who.name).toEqual([]);
        const onResource = await api.get(`/v1/subscriptions?resource=${resource}`);
        if (who.sees) expect(onResource.body.value, who.name).toEqual([]);
        else expect(onResource.status, who.name).toBe(404);
      }),
    );

    it(
      "answers 404 to reading, listing and replaying alice's dead letters, and replays nothing",
      each(async (who) => {
        const api = apiClient(t.url, who.auth);
        expect((await api.get("/v1/dead-letters")).body.value, who.name).toEqual([]);
        const bySubscription = await api.get(`/v1/dead-letters?subscription=${native.id}`);
        expect(bySubscription.status, who.name).toBe(404);
        for (const answer of [
          await api.get(`/v1/dead-letters/${native.deadLetter}`),
          await api.post(`/v1/dead-letters/${native.deadLetter}/replay`),
        ]) {
          expect(answer.status, who.name).toBe(404);
          expect(answer.body.error.code, who.name).toBe("deadLetterNotFound");
        }
        expect((await alice.get(`/v1/dead-letters/${native.deadLetter}`)).body.replayedTime).toBeNull();
      }),
    );

    it("lets a grantee subscribe to the shared resource and act on that subscription alone", async () => {
      const bob = apiClient(t.url, t.auth.bob);
      const own = await subscribe(bob, resource, receiver.url("/bob"), { clientState: "bob-secret" });
      expect((await bob.get(`/v1/subscriptions/${own.id}`)).body.clientState).toBe("bob-secret");
      expect(
        (await bob.get(`/v1/subscriptions?resource=${resource}`)).body.value.map((s: { id: string }) => s.id),
      ).toEqual([own.id]);
      // The resource's owner does not see (or act on) the grantee's subscription either.
      expect((await alice.get(`/v1/subscriptions/${own.id}`)).status).toBe(404);
      expect((await alice.delete(`/v1/subscriptions/${own.id}`)).status).toBe(404);
      expect(
        (await alice.get(`/v1/subscriptions?resource=${resource}`)).body.value.map(
          (s: { id: string }) => s.id,
        ),
      ).toEqual([native.id]);
      expect((await bob.delete(`/v1/subscriptions/${own.id}`)).status).toBe(204);
    });

    it("lets alice act on her own subscription and its dead letter", async () => {
      expect((await alice.get(`/v1/subscriptions/${native.id}/attempts`)).body.value).toHaveLength(2);
      expect((await alice.get(`/v1/dead-letters?subscription=${native.id}`)).body.value).toHaveLength(1);
    });
  });

  describe("SharePoint", () => {
    const path = () => `web/lists('${list}')/subscriptions('${sharePoint}')`;
    const intruderClient = (who: Intruder) => SpClient.for(t, "alice").as(who.auth);

    it(
      "answers 404 in SharePoint's format to reading, changing and deleting alice's subscription, and changes nothing",
      each(async (who) => {
        const sp = intruderClient(who);
        const calls = [
          await sp.get(path()),
          await sp.call("PATCH", path(), { body: { notificationUrl: receiver.url("/intruder") } }),
          await sp.call("POST", path(), {
            body: { clientState: "mine now" },
            headers: { "x-http-method": "MERGE" },
          }),
          await sp.call("DELETE", path()),
          await sp.call("POST", path(), { headers: { "x-http-method": "DELETE" } }),
        ];
        for (const answer of calls) {
          expect(answer.status, who.name).toBe(404);
          expect(answer.json["odata.error"].message.value, who.name).toEqual(expect.any(String));
        }
        const mine = (await SpClient.for(t, "alice").get(path())).json;
        expect(mine.notificationUrl).toBe(receiver.url("/alice-sp"));
        expect(mine.clientState).toBe("sp-secret");
        expect(receiver.handshakes("/intruder")).toEqual([]);
      }),
    );

    it(
      "lists none of alice's subscriptions on the shared list (404 to those who cannot see it)",
      each(async (who) => {
        const answer = await intruderClient(who).get(`web/lists('${list}')/subscriptions`);
        if (who.sees) expect(answer.json.value, who.name).toEqual([]);
        else expect(answer.status, who.name).toBe(404);
      }),
    );
  });

  describe("Graph", () => {
    it(
      "answers 404 in Graph's format to reading, renewing and deleting alice's subscription, and lists none",
      each(async (who) => {
        const api = apiClient(t.url, who.auth);
        const renewal = { expirationDateTime: new Date(t.clock.now() + 86_400_000).toISOString() };
        for (const answer of [
          await api.get(`/v1.0/subscriptions/${graph}`),
          await api.patch(`/v1.0/subscriptions/${graph}`, renewal),
          await api.delete(`/v1.0/subscriptions/${graph}`),
        ]) {
          expect(answer.status, who.name).toBe(404);
          expect(answer.body.error.code, who.name).toEqual(expect.any(String));
        }
        expect((await api.get("/v1.0/subscriptions")).body.value, who.name).toEqual([]);
        expect((await alice.get(`/v1.0/subscriptions/${graph}`)).body.clientState).toBe("graph-secret");
      }),
    );
  });
});
