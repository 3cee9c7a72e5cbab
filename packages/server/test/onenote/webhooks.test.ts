import { afterEach, describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../src/clock.js";
import type { Config } from "../../src/config/defaults.js";
import { startTestNudge, type DeepPartial, type TestNudge } from "@nudge/test-support";
import { answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { NotesClient } from "./notes-client.js";

describe("OneNote app-level webhooks through the API", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  /**
   * Alice's notebook with a page, shared with Bob, made before the demo app has a webhook (so
   * nothing is registered yet); then the app's webhook is set to the receiver's /onenote.
   */
  async function setup(config: DeepPartial<Config> = {}) {
    t = await startTestNudge({ config });
    receiver = await TestReceiver.start();
    const s = t.nudge.services;
    const alice = NotesClient.oneNote(t, "alice");
    const { sectionId } = await alice.notebookWithSection("Alice's", "S");
    const pageId = await alice.addPage(sectionId, "Plan");
    const alicePrincipal = await s.identity.authenticate(t.demo.users.alice.token);
    const container = await s.resources.ensureOwn(alicePrincipal, "notebook");
    await s.identity.grant(t.demo.tenantId, container.id, t.demo.users.bob.id);
    await s.registrations.setAppWebhook(t.demo.tenantId, t.demo.app.clientId, {
      webhookUrl: receiver.url("/onenote"),
    });
    const bobOnAlice = NotesClient.oneNote(t, "bob", t.demo.users.alice.id);
    const edit = (client: NotesClient = bobOnAlice, content = "<p>edit</p>") =>
      client.patch(`/pages/${pageId}/content`, [{ target: "body", action: "append", content }]);
    return { alice, bobOnAlice, sectionId, pageId, edit, s };
  }

  const aliceEntry = () => ({ subscriptionId: t.demo.app.clientId, userId: t.demo.users.alice.id });

  it.each([
    ["/users/{alice}/notes", (): NotesClient => NotesClient.oneNote(t, "bob", t.demo.users.alice.id)],
    ["/me/notes (a page shared with him)", (): NotesClient => NotesClient.oneNote(t, "bob")],
  ])("notifies Alice's app with Alice's id when Bob edits her page through %s", async (_, bob) => {
    const fx = await setup();
    expect((await fx.alice.get("/notebooks")).status).toBe(200);
    expect((await fx.edit(bob())).status).toBe(204);
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    expect(post!.json).toEqual({ value: [aliceEntry()] });
    expect(receiver.handshakes()).toHaveLength(0);
  });

  it("gives the X-AuthenticatedUserId that notifications carry as userId", async () => {
    const fx = await setup();
    const call = await fx.alice.get("/notebooks");
    await fx.edit();
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    expect((post!.json as { value: Array<{ userId: string }> }).value[0]!.userId).toBe(
      call.headers.get("x-authenticateduserid"),
    );
  });

  it("registers a user by a call through Graph's /v1.0/me/onenote too", async () => {
    const fx = await setup();
    expect((await NotesClient.graph(t, "alice").get("/notebooks")).status).toBe(200);
    await fx.edit();
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    expect(post!.json).toEqual({ value: [aliceEntry()] });
  });

  it("sends nothing for a user the app has not called the API for since it set its webhook", async () => {
    const fx = await setup();
    await fx.edit();
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    await fx.alice.get("/notebooks");
    await fx.edit();
    await receiver.waitForNotifications(1, "/onenote");
  });

  it("notifies no app of Alice's when she edits Bob's notebook (Bob never used the app: nobody)", async () => {
    const fx = await setup();
    const bobPrincipal = await fx.s.identity.authenticate(t.demo.users.bob.token);
    // Bob's notebook is made by the service, not the API: Bob never called it, so he is not registered.
    const bobScope = await fx.s.notes.scope(bobPrincipal);
    const notebook = await fx.s.notes.createNotebook(bobScope, "Bob's");
    await fx.s.identity.grant(t.demo.tenantId, bobScope.home.id, t.demo.users.alice.id);
    await t.settle();
    const aliceOnBob = NotesClient.oneNote(t, "alice", t.demo.users.bob.id);
    expect((await aliceOnBob.patch(`/notebooks/${notebook.id}`, { name: "Bob's (renamed)" })).status).toBe(
      200,
    );
    const section = await aliceOnBob.post(`/notebooks/${notebook.id}/sections`, { name: "Alice was here" });
    expect(section.status).toBe(201);
    await aliceOnBob.addPage(section.json.id as string, "Hi Bob");
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    // The pipe works: Alice's own notebook does notify her app.
    await fx.edit(fx.alice);
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    expect(post!.json).toEqual({ value: [aliceEntry()] });
  });

  it("notifies only with Bob's id when Alice edits the notebook of Bob, who uses the app too", async () => {
    const fx = await setup();
    const bob = NotesClient.oneNote(t, "bob");
    const { sectionId } = await bob.notebookWithSection("Bob's", "S");
    const bobPrincipal = await fx.s.identity.authenticate(t.demo.users.bob.token);
    const bobsContainer = await fx.s.resources.ensureOwn(bobPrincipal, "notebook");
    await fx.s.identity.grant(t.demo.tenantId, bobsContainer.id, t.demo.users.alice.id);
    await receiver.waitForNotifications(1, "/onenote");
    await fx.alice.get("/notebooks");
    const before = receiver.notifications().length;
    await NotesClient.oneNote(t, "alice", t.demo.users.bob.id).addPage(sectionId, "From Alice");
    await receiver.waitForNotifications(before + 1, "/onenote");
    await t.settle();
    const entries = receiver.notifications().flatMap((r) => (r.json as { value: unknown[] }).value);
    expect(entries).not.toContainEqual(aliceEntry());
    expect(entries.at(-1)).toEqual({ subscriptionId: t.demo.app.clientId, userId: t.demo.users.bob.id });
  });

  it("forgets a user idle for six months and a day; any API call registers them again", async () => {
    const fx = await setup();
    await fx.alice.get("/notebooks");
    t.clock.advance(182 * DAY + DAY);
    await fx.edit();
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    // Any call: here a 404 for a page that does not exist.
    expect((await fx.alice.get("/pages/0-none")).status).toBe(404);
    await fx.edit();
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    expect(post!.json).toEqual({ value: [aliceEntry()] });
  });

  it("keeps a user the app called for within six months", async () => {
    const fx = await setup();
    await fx.alice.get("/notebooks");
    t.clock.advance(170 * DAY);
    await fx.alice.get("/pages");
    t.clock.advance(170 * DAY);
    await fx.edit();
    await receiver.waitForNotifications(1, "/onenote");
  });

  it("combines changes close in time into one notification", async () => {
    const fx = await setup({ delivery: { coalesceWindowMs: 5000 } });
    await fx.alice.get("/notebooks");
    await fx.edit(undefined, "<p>1</p>");
    await fx.edit(undefined, "<p>2</p>");
    await fx.bobOnAlice.post(`/sections/${fx.sectionId}/pages`, { title: "New", content: "<p>3</p>" });
    await t.settle();
    expect(receiver.notifications()).toHaveLength(0);
    t.clock.advance(5000);
    const [post] = await receiver.waitForNotifications(1, "/onenote");
    await t.settle();
    expect(receiver.notifications("/onenote")).toHaveLength(1);
    expect(post!.json).toEqual({ value: [aliceEntry()] });
  });

  it.each([201, 301, 302])(
    "counts a %i answer as a failure, follows no redirect and retries",
    async (status) => {
      const fx = await setup();
      receiver.respond("/onenote", answerNotifications(status, { location: receiver.url("/elsewhere") }));
      await fx.alice.get("/notebooks");
      await fx.edit();
      await receiver.waitForNotifications(1, "/onenote");
      await t.settle();
      expect((await fx.s.deliveries.allAttempts({ limit: 5 }))[0]).toMatchObject({
        statusCode: status,
        outcome: "failed",
      });
      t.clock.advance(MINUTE);
      await receiver.waitForNotifications(2, "/onenote");
      expect(receiver.notifications("/elsewhere")).toHaveLength(0);
    },
  );

  it.each([200, 202, 204])("counts a %i answer as delivered", async (status) => {
    const fx = await setup();
    receiver.respond("/onenote", answerNotifications(status));
    await fx.alice.get("/notebooks");
    await fx.edit();
    await receiver.waitForNotifications(1, "/onenote");
    await t.settle();
    expect((await fx.s.deliveries.allAttempts({ limit: 5 }))[0]).toMatchObject({ outcome: "delivered" });
    t.clock.advance(MINUTE);
    await t.settle();
    expect(receiver.notifications("/onenote")).toHaveLength(1);
  });

  it("retries after 1, 2, 4 and 8 minutes, then discards the notification", async () => {
    const fx = await setup();
    receiver.respond("/onenote", answerNotifications(500));
    await fx.alice.get("/notebooks");
    await fx.edit();
    await receiver.waitForNotifications(1, "/onenote");
    for (const [n, minutes] of [1, 2, 4, 8].entries()) {
      // Due only when the whole delay has passed: a second early, nothing.
      await t.settle();
      t.clock.advance(minutes * MINUTE - 1000);
      await t.settle();
      expect(receiver.notifications("/onenote")).toHaveLength(n + 1);
      t.clock.advance(1000);
      await receiver.waitForNotifications(n + 2, "/onenote");
    }
    await t.settle();
    expect((await fx.s.deliveries.allAttempts({ limit: 1 }))[0]).toMatchObject({ outcome: "dropped" });
    t.clock.advance(60 * MINUTE);
    await t.settle();
    expect(receiver.notifications("/onenote")).toHaveLength(5);
  });
});
