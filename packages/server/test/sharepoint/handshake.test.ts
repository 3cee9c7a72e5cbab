/**
 * The validation handshake of SharePoint subscriptions, seen from a real receiver: only an exact
 * plain-text echo with 200 within 5 s creates a subscription; anything else is a 400 and nothing
 * is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver, answerAfter, validationTokenOf } from "../helpers/receiver.js";
import { SpClient } from "./sp-client.js";

describe("SharePoint validation handshake", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let sp: SpClient;
  let listId: string;

  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    sp = SpClient.for(t);
    listId = await sp.createList();
  });
  afterEach(async () => {
    await receiver.close();
    await t.stop();
  });

  async function expectRefused(url: string): Promise<void> {
    const res = await sp.subscribe(listId, { notificationUrl: url });
    expect(res.status).toBe(400);
    expect(res.json["odata.error"].message.value).toMatch(
      new RegExp(`^Failed to validate the notification URL '${escape(url)}'`),
    );
    expect(await sp.subscriptionIds(listId)).toEqual([]);
  }

  it("stores the subscription when the receiver echoes the token with 200 text/plain", async () => {
    const res = await sp.subscribe(listId, { notificationUrl: receiver.url("/hook") });
    expect(res.status).toBe(201);
    expect(await sp.subscriptionIds(listId)).toEqual([res.json.id]);
  });

  it("sends the handshake as a POST with a lower-case validationtoken and an empty body", async () => {
    await sp.subscribe(listId, { notificationUrl: receiver.url("/hook") });
    const [handshake] = receiver.handshakes("/hook");
    expect(handshake!.method).toBe("POST");
    expect([...handshake!.query.keys()]).toEqual(["validationtoken"]);
    expect(handshake!.query.get("validationtoken")).toMatch(/\S{8,}/);
    expect(handshake!.body).toBe("");
    expect(handshake!.headers["content-length"]).toBe("0");
  });

  it("refuses a receiver that answers with something other than the token", async () => {
    receiver.respond("/wrong", (_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("not-the-token");
    });
    await expectRefused(receiver.url("/wrong"));
  });

  it("gives the receiver SharePoint's 5 s to echo by default", () => {
    // Waiting 5 s of real time would prove no more than the configured value does; the time-out
    // itself is exercised below with a short configured limit.
    expect(t.nudge.services.profiles.sharepoint.handshake.timeoutMs).toBe(5_000);
  });

  it("refuses a receiver that echoes only after handshake.timeoutMs", async () => {
    await t.stop();
    t = await startTestNudge({ config: { handshake: { timeoutMs: 300 } } });
    sp = SpClient.for(t);
    listId = await sp.createList();
    receiver.respond("/slow", answerAfter(1_000));
    const started = Date.now();
    await expectRefused(receiver.url("/slow"));
    // Refused at the limit, not earlier (had Nudge waited, the late echo would have passed).
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it("refuses a receiver that answers 500", async () => {
    receiver.respond("/broken", (_req, res) => {
      res.writeHead(500);
      res.end();
    });
    await expectRefused(receiver.url("/broken"));
  });

  it("refuses a redirect, even to a path that would echo", async () => {
    receiver.respond("/moved", (req, res) => {
      res.writeHead(302, { location: receiver.url(`/hook?validationtoken=${validationTokenOf(req)}`) });
      res.end();
    });
    await expectRefused(receiver.url("/moved"));
    expect(receiver.handshakes("/hook")).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
