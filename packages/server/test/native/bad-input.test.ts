import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { clientsOf, createResource, subscribe, type ApiResponse } from "./api.js";

describe("native API bad input", () => {
  let t: TestNudge;
  let resource: string;
  beforeEach(async () => {
    t = await startTestNudge();
    resource = await createResource(clientsOf(t).alice);
  });
  afterEach(async () => {
    await t?.stop();
  });

  const send = async (
    path: string,
    init: RequestInit = {},
    headers: Record<string, string> = t.auth.alice,
  ) => {
    const response = await fetch(t.url + path, {
      ...init,
      headers: { ...headers, ...(init.headers as object) },
    });
    return { status: response.status, body: (await response.json()) as ApiResponse["body"] };
  };
  const postJson = (path: string, body: string) =>
    send(path, { method: "POST", body, headers: { "content-type": "application/json" } });
  const feedLength = async () =>
    (await clientsOf(t).alice.get(`/v1/resources/${resource}/changes`)).body.value.length;

  it("answers malformed JSON with 400 invalidJson and records nothing", async () => {
    const refused = await postJson(
      `/v1/resources/${resource}/changes`,
      '{"changes":[{"item":"a","kind":"add"}',
    );
    expect(refused).toEqual({
      status: 400,
      body: { error: { code: "invalidJson", message: expect.any(String) } },
    });
    expect(await feedLength()).toBe(0);
  });

  it("answers a wrong type with 400 invalidRequest naming the field", async () => {
    const refused = await postJson(
      `/v1/resources/${resource}/changes`,
      '{"changes":{"item":"a","kind":"add"}}',
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe("invalidRequest");
    expect(refused.body.error.message).toContain("changes must be of type array");
  });

  it("answers a limit that is not a decimal integer in range with 400 invalidRequest naming it, on every list", async () => {
    const receiver = await TestReceiver.start();
    const subscription = await subscribe(clientsOf(t).alice, resource, receiver.url("/hook"));
    await receiver.close();
    const lists = [
      `/v1/resources/${resource}/changes`,
      `/v1/subscriptions/${subscription.id}/attempts`,
      "/v1/dead-letters",
    ];
    const bad = [
      "Infinity",
      "1e309",
      "-Infinity",
      "NaN",
      "0x10",
      "%205",
      "5%20",
      "1.0",
      "1e2",
      "+5",
      "0",
      "1001",
      "-1",
      "",
      "5&limit=Infinity",
    ];
    for (const path of lists) {
      for (const limit of bad) {
        const refused = await send(`${path}?limit=${limit}`);
        expect({ limit, ...refused }, `${path}?limit=${limit}`).toEqual({
          limit,
          status: 400,
          body: { error: { code: "invalidRequest", message: expect.stringContaining("limit") } },
        });
      }
      expect((await send(`${path}?limit=5`)).status, path).toBe(200);
      expect((await send(`${path}?limit=1000`)).status, path).toBe(200);
    }
  });

  it("does not turn a number into a string", async () => {
    const refused = await postJson("/v1/resources", '{"title":123}');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("title");
  });

  it("answers a body over 1 MiB with 413 payloadTooLarge and records nothing", async () => {
    const changes = Array.from({ length: 1000 }, (_, i) => ({
      item: `${i}-${"x".repeat(1100)}`,
      kind: "add",
    }));
    const body = JSON.stringify({ changes });
    expect(body.length).toBeGreaterThan(1024 * 1024);
    const refused = await postJson(`/v1/resources/${resource}/changes`, body);
    expect(refused).toEqual({
      status: 413,
      body: { error: { code: "payloadTooLarge", message: expect.any(String) } },
    });
    expect(await feedLength()).toBe(0);
  });

  it("answers a body that is not JSON with 415 unsupportedMediaType", async () => {
    const refused = await send("/v1/resources", {
      method: "POST",
      body: "title=x",
      headers: { "content-type": "text/plain" },
    });
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe("unsupportedMediaType");
  });

  it("answers a missing token with 401 unauthenticated", async () => {
    const refused = await send("/v1/resources", {}, {});
    expect(refused).toEqual({
      status: 401,
      body: { error: { code: "unauthenticated", message: expect.any(String) } },
    });
  });

  it("answers a wrong token with 401 unauthenticated, before looking at the body", async () => {
    const refused = await send(
      `/v1/resources/${resource}/changes`,
      { method: "POST", body: "{not json", headers: { "content-type": "application/json" } },
      { authorization: "Bearer nudge_not-a-real-token" },
    );
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("unauthenticated");
  });

  it("answers an unknown path under /v1 with 404 notFound", async () => {
    const missing = await send("/v1/nothing-here");
    expect(missing).toEqual({
      status: 404,
      body: { error: { code: "notFound", message: expect.any(String) } },
    });
  });
});
