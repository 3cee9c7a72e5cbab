/**
 * Bad subscription input gets a clear 4xx in SharePoint's error format, and nothing is stored:
 * no subscription is listed afterwards and, where the input is refused before the handshake,
 * the receiver never hears from Nudge.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { SpClient, type SpResponse } from "./sp-client.js";

describe("SharePoint subscription input", () => {
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

  async function expectRefused(res: SpResponse, status: number, message: RegExp): Promise<void> {
    expect(res.status).toBe(status);
    expect(res.json["odata.error"].message.value).toMatch(message);
    expect(await sp.subscriptionIds(listId)).toEqual([]);
    expect(receiver.requests).toEqual([]);
  }

  it("defaults the expiration to 180 days from now when none is given", async () => {
    const res = await sp.subscribe(listId, { notificationUrl: receiver.url() });
    expect(res.status).toBe(201);
    // The test clock stands at 2026-03-01T12:00:00Z.
    expect(res.json.expirationDateTime).toBe("2026-08-28T12:00:00Z");
  });

  it("refuses an expiration in the past", async () => {
    const res = await sp.subscribe(listId, {
      notificationUrl: receiver.url(),
      expirationDateTime: "2026-02-28T12:00:00Z",
    });
    await expectRefused(res, 400, /in the past/);
  });

  it("refuses an expiration more than 180 days ahead", async () => {
    const res = await sp.subscribe(listId, {
      notificationUrl: receiver.url(),
      expirationDateTime: "2026-09-01T12:00:00Z",
    });
    await expectRefused(res, 400, /more than 180 days ahead/);
  });

  it("refuses an unparsable expiration", async () => {
    const res = await sp.subscribe(listId, {
      notificationUrl: receiver.url(),
      expirationDateTime: "next tuesday",
    });
    await expectRefused(res, 400, /not a valid ISO 8601 date/);
  });

  it("refuses a clientState of 129 characters", async () => {
    const res = await sp.subscribe(listId, { notificationUrl: receiver.url(), clientState: "x".repeat(129) });
    await expectRefused(res, 400, /clientState is 129 characters long/);
  });

  it("accepts a clientState of 128 characters", async () => {
    const res = await sp.subscribe(listId, { notificationUrl: receiver.url(), clientState: "x".repeat(128) });
    expect(res.status).toBe(201);
  });

  it("refuses an ftp:// notification URL", async () => {
    const res = await sp.subscribe(listId, { notificationUrl: "ftp://127.0.0.1/hook" });
    await expectRefused(res, 400, /must use http or https/);
  });

  it("refuses a body that is not JSON", async () => {
    const res = await sp.call("POST", `web/lists('${listId}')/subscriptions`, {
      rawBody: '{"notificationUrl":',
    });
    await expectRefused(res, 400, /not valid JSON/);
  });

  it("refuses wrong types: notificationUrl 5, expirationDateTime true, clientState {}, resource 7", async () => {
    const cases = [
      { notificationUrl: 5 },
      { notificationUrl: receiver.url(), expirationDateTime: true },
      { notificationUrl: receiver.url(), clientState: {} },
      { notificationUrl: receiver.url(), resource: 7 },
    ];
    for (const body of cases) await expectRefused(await sp.subscribe(listId, body), 400, /must be/);
  });

  it("refuses a body that is a JSON array", async () => {
    await expectRefused(await sp.subscribe(listId, [] as never), 400, /must be a JSON object/);
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const res = await sp.call("POST", `web/lists('${listId}')/subscriptions`, {
      rawBody: JSON.stringify({ notificationUrl: receiver.url(), clientState: "x".repeat(1024 * 1024) }),
    });
    await expectRefused(res, 413, /too large/);
  });

  it("answers 404 for an unknown list", async () => {
    const res = await sp.subscribe("5c77031a-9621-4dfc-bb5d-57803a94e91d", {
      notificationUrl: receiver.url(),
    });
    expect(res.status).toBe(404);
    expect(res.json["odata.error"].code).toBe("-1, System.ArgumentException");
    expect(receiver.requests).toEqual([]);
  });

  it("refuses wrong types on update and leaves the subscription as it was", async () => {
    const created = await sp.subscribe(listId, { notificationUrl: receiver.url(), clientState: "cs" });
    const path = `web/lists('${listId}')/subscriptions('${created.json.id}')`;
    for (const body of [
      { expirationDateTime: true },
      { notificationUrl: 5 },
      { clientState: "x".repeat(129) },
    ]) {
      const res = await sp.call("PATCH", path, { body });
      expect(res.status).toBe(400);
    }
    expect((await sp.get(path)).json).toEqual(created.json);
  });
});
