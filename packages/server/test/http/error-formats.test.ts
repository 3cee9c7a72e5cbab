/**
 * Errors that no route raises — the router's (bad percent-encoding, an overlong segment) and
 * paths no route matches — in the format of the surface that owns the path, with a code from
 * docs/errors.md; never in Fastify's own `{"statusCode","error","message"}`.
 */
import { Client } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";

type Format = "native" | "graph" | "sharepoint";

/** The body each format has; `code` is the native code or Graph's spelling of it. */
const bodyIn: Record<Format, (code: string) => unknown> = {
  native: (code) => ({ error: { code, message: expect.any(String) } }),
  graph: (code) => ({
    error: {
      code,
      message: expect.any(String),
      innerError: { "request-id": expect.any(String), date: expect.any(String) },
    },
  }),
  sharepoint: () => ({
    "odata.error": {
      code: expect.stringMatching(/^-?\d+, [\w.]+$/),
      message: { lang: "en-US", value: expect.any(String) },
    },
  }),
};

/** Written in the test names as `{101 chars}`, sent as 101 characters. */
const LONG = "{101 chars}";
const spelledOut = (path: string) => path.replace(LONG, "x".repeat(101));

describe("errors outside the routes", () => {
  let t: TestNudge;
  let client: Client;
  beforeEach(async () => {
    t = await startTestNudge();
    client = new Client(t.url);
  });
  afterEach(async () => {
    await client?.close();
    await t?.stop();
  });

  /** Sends the path exactly as written (no client normalises it) and reads the answer as JSON. */
  const call = async (method: string, path: string, headers: Record<string, string> = {}) => {
    const response = await client.request({ method, path, headers: { ...t.auth.alice, ...headers } });
    const text = await response.body.text();
    return {
      status: response.statusCode,
      contentType: String(response.headers["content-type"]),
      body: JSON.parse(text) as unknown,
    };
  };

  it.each([
    ["/v1/subscriptions/%zz", "native", "invalidUrl"],
    ["/admin/tenants/%zz/users", "native", "invalidUrl"],
    ["/v1.0/subscriptions/%zz", "graph", "invalidRequest"],
    ["/v1.0/me/onenote/pages/%zz", "graph", "invalidRequest"],
    ["/api/v1.0/me/notes/pages/%zz", "graph", "invalidRequest"],
    ["/drive/items/%zz", "graph", "invalidRequest"],
    ["/_api/web/lists/%zz", "sharepoint", "invalidUrl"],
    ["/sites/%zz/_api/web", "sharepoint", "invalidUrl"],
    ["/nowhere/%zz", "native", "invalidUrl"],
  ] as const)("answers %s (bad percent-encoding) with 400 in the %s format", async (path, format, code) => {
    const answer = await call("GET", path);
    expect(answer).toEqual({ status: 400, contentType: expect.any(String), body: bodyIn[format](code) });
    expect(answer.contentType).toMatch(/^application\/json/);
  });

  it.each([
    [`/v1/subscriptions/${LONG}`, "GET", "native", "pathSegmentTooLong"],
    [`/admin/tenants/${LONG}/users`, "POST", "native", "pathSegmentTooLong"],
    [`/v1.0/subscriptions/${LONG}`, "GET", "graph", "invalidRequest"],
    [`/v1.0/drives/${LONG}/root`, "GET", "graph", "invalidRequest"],
    [`/v1.0/me/onenote/pages/${LONG}`, "GET", "graph", "invalidRequest"],
    [`/api/v1.0/me/notes/pages/${LONG}`, "GET", "graph", "invalidRequest"],
    [`/sites/${LONG}/_api/web`, "GET", "sharepoint", "pathSegmentTooLong"],
  ] as const)(
    "answers %s %s (a 101-character segment) with 414 in the %s format",
    async (path, method, format, code) => {
      expect(await call(method, spelledOut(path))).toEqual({
        status: 414,
        contentType: expect.stringMatching(/^application\/json/),
        body: bodyIn[format](code),
      });
    },
  );

  it.each([
    ["GET", "/nowhere"],
    ["POST", "/nowhere/at/all"],
    ["GET", "/sites/team/not-the-api"],
    ["DELETE", "/openapi.json"],
  ])("answers %s %s (no surface's path) with 404 notFound in the native format", async (method, path) => {
    expect(await call(method, path)).toEqual({
      status: 404,
      contentType: "application/json; charset=utf-8",
      body: bodyIn.native("notFound"),
    });
  });

  it.each(["/_api/web", "/sites/team/_api/web/lists"])(
    "answers OPTIONS %s with 404 in SharePoint's format",
    async (path) => {
      expect(await call("OPTIONS", path)).toEqual({
        status: 404,
        contentType: "application/json;odata=minimalmetadata;streaming=true;charset=utf-8",
        body: bodyIn.sharepoint("notFound"),
      });
    },
  );

  it("answers OPTIONS on a SharePoint path in the verbose shape when the client asks for it", async () => {
    const answer = await call("OPTIONS", "/_api/web", { accept: "application/json;odata=verbose" });
    expect(answer).toMatchObject({
      status: 404,
      contentType: "application/json;odata=verbose;charset=utf-8",
      body: { error: { code: expect.any(String), message: { lang: "en-US", value: expect.any(String) } } },
    });
  });
});
