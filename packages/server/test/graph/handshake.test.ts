/**
 * The validation handshake of Graph subscriptions, seen from a real receiver: `validationToken`
 * (camel case) on a text/plain POST, Graph's sentence-like token that must be echoed URL-decoded
 * with 200 within 10 s. Any failure is a 400 in Graph's exact words, and nothing is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSubscriptions } from "../../src/store/repositories/subscriptions.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import {
  TestReceiver,
  answerAfter,
  answerNothing,
  defaultResponder,
  type Responder,
} from "../helpers/receiver.js";
import type { Api } from "../native/api.js";
import { expectGraphError, graphClients, subscriptionBody } from "./graph-api.js";

const FAILED =
  "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.";
const TIMED_OUT = "Subscription validation request timed out.";

describe("Graph validation handshake", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let alice: Api;

  beforeEach(async () => {
    t = await startTestNudge();
    receiver = await TestReceiver.start();
    ({ alice } = graphClients(t));
  });
  afterEach(async () => {
    await receiver.close();
    await t.stop();
  });

  const stored = async () =>
    listSubscriptions(t.nudge.db, t.nudge.services.ctx.secrets, { tenantId: t.demo.tenantId });

  async function expectRefused(responder: Responder, message: string): Promise<void> {
    receiver.respond("/graph", responder);
    const res = await alice.post("/subscriptions", subscriptionBody(receiver));
    expectGraphError(res, 400, "InvalidRequest", message);
    expect(receiver.handshakes("/graph")).toHaveLength(1);
    expect(await stored()).toEqual([]);
    expect((await alice.get("/subscriptions")).body.value).toEqual([]);
  }

  it("POSTs validationToken in camel case, as text/plain; charset=utf-8, with an empty body", async () => {
    const res = await alice.post("/subscriptions", subscriptionBody(receiver));
    expect(res.status).toBe(201);
    const [handshake] = receiver.handshakes("/graph");
    expect(handshake!.method).toBe("POST");
    expect([...handshake!.query.keys()]).toEqual(["validationToken"]);
    expect(handshake!.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(handshake!.body).toBe("");
  });

  it("sends Graph's sentence as the token, URL-encoded, and accepts it echoed decoded", async () => {
    let rawQuery = "";
    receiver.respond("/graph", (request, res) => {
      rawQuery = res.req.url!.split("?")[1]!;
      return defaultResponder(request, res);
    });
    const res = await alice.post("/subscriptions", subscriptionBody(receiver));
    expect(res.status).toBe(201);
    const token = receiver.handshakes("/graph")[0]!.query.get("validationToken");
    expect(token).toMatch(
      /^Validation: Testing client application reachability for subscription Request-Id: [0-9a-f-]{36}$/,
    );
    expect(rawQuery).not.toContain(" ");
    expect(rawQuery).toMatch(/Validation%3A/i);
  });

  it("refuses a receiver that echoes the token still URL-encoded", async () => {
    await expectRefused((_request, res) => {
      const raw = /validationToken=([^&]*)/.exec(res.req.url!)![1]!;
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(raw);
    }, FAILED);
  });

  it("refuses a receiver that echoes something else", async () => {
    await expectRefused((_request, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("not the token");
    }, FAILED);
  });

  it("refuses a receiver that answers 500", async () => {
    await expectRefused((_request, res) => {
      res.writeHead(500);
      res.end();
    }, FAILED);
  });

  it("refuses a redirect and does not follow it", async () => {
    await expectRefused((_request, res) => {
      res.writeHead(302, { location: receiver.url("/echo") });
      res.end();
    }, FAILED);
    expect(receiver.requests.filter((r) => r.path === "/echo")).toEqual([]);
  });

  it("gives the receiver Graph's 10 s to answer the handshake by default", () => {
    // Waiting 10 s of real time would prove no more than the configured value does; the time-out
    // itself is exercised below with a short configured limit.
    expect(t.nudge.services.profiles.graph.handshake.timeoutMs).toBe(10_000);
  });

  it("refuses a receiver silent past surfaces.graph.handshakeTimeoutMs, with Graph's time-out message", async () => {
    await t.stop();
    t = await startTestNudge({ config: { surfaces: { graph: { handshakeTimeoutMs: 300 } } } });
    ({ alice } = graphClients(t));
    const started = Date.now();
    await expectRefused(answerNothing, TIMED_OUT);
    // At the configured limit: not earlier, and not at the 10 s default.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not wait for an answer that comes after the limit", async () => {
    await t.stop();
    t = await startTestNudge({ config: { surfaces: { graph: { handshakeTimeoutMs: 300 } } } });
    ({ alice } = graphClients(t));
    await expectRefused(answerAfter(1_000), TIMED_OUT);
  });

  it("validates lifecycleNotificationUrl the same way, storing nothing when it fails", async () => {
    receiver.respond("/lifecycle", (_request, res) => {
      res.writeHead(404);
      res.end();
    });
    const res = await alice.post(
      "/subscriptions",
      subscriptionBody(receiver, { lifecycleNotificationUrl: receiver.url("/lifecycle") }),
    );
    expectGraphError(res, 400, "InvalidRequest", FAILED);
    expect(receiver.handshakes("/graph")).toHaveLength(1);
    expect(receiver.handshakes("/lifecycle")).toHaveLength(1);
    expect(receiver.handshakes("/lifecycle")[0]!.query.has("validationToken")).toBe(true);
    expect(await stored()).toEqual([]);
  });
});
