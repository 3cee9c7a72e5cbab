/**
 * How Authorization headers are read on every surface: exactly `Bearer <token>` (RFC 6750 §2.1:
 * `"Bearer" 1*SP b64token`, the scheme case-insensitive as RFC 9110 §11.1 has it), nothing else.
 * Requests go through node:http, which sends header values as given (fetch would normalise them).
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bearerToken } from "../../src/http/auth.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function get(base: string, path: string, authorization: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { headers: { authorization, accept: "application/json" } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

/** Each surface's address to call and how it words a 401. */
const surfaces = [
  {
    name: "native",
    path: "/v1/resources",
    error: (b: Answer["body"]) => (b.error as { code: string }).code,
    code: "unauthenticated",
  },
  {
    name: "SharePoint",
    path: "/_api/web/lists",
    error: (b: Answer["body"]) => (b["odata.error"] as { code: string }).code,
    code: "-2147024891, System.UnauthorizedAccessException",
  },
  {
    name: "Graph",
    path: "/v1.0/me/drive",
    error: (b: Answer["body"]) => (b.error as { code: string }).code,
    code: "InvalidAuthenticationToken",
  },
  {
    name: "admin",
    path: "/admin/tenants",
    error: (b: Answer["body"]) => (b.error as { code: string }).code,
    code: "unauthenticated",
  },
] as const;

describe("bearer credentials", () => {
  let t: TestNudge;
  beforeAll(async () => {
    t = await startTestNudge();
  });
  afterAll(async () => {
    await t.stop();
  });
  const tokenFor = (surface: string) => (surface === "admin" ? t.adminToken : t.demo.users.alice.token);

  describe.each(surfaces)("on the $name surface", (surface) => {
    it.each([
      ["Bearer TOKEN", "the canonical form"],
      ["bearer TOKEN", "a lower-case scheme"],
      ["BEARER TOKEN", "an upper-case scheme"],
      ["Bearer   TOKEN", "several spaces after the scheme"],
    ])("accepts %j (%s)", async (form) => {
      const res = await get(t.url, surface.path, form.replace("TOKEN", tokenFor(surface.name)));
      expect(res.status).toBe(200);
    });

    it.each([
      ["Bearer\tTOKEN", "a tab after the scheme"],
      ["Bearer TOKEN junk", "trailing junk"],
      ["Bearer TOKEN, Bearer TOKEN", "a list of credentials"],
      ["BearerTOKEN", "no space after the scheme"],
      ["Basic dXNlcjpwYXNz", "another scheme"],
      ["TOKEN", "a token alone"],
    ])("refuses %j (%s) with 401 in its own format", async (form) => {
      const res = await get(t.url, surface.path, form.replaceAll("TOKEN", tokenFor(surface.name)));
      expect(res.status).toBe(401);
      expect(surface.error(res.body)).toBe(surface.code);
    });
  });
});

/** What reaches the parser: HTTP drops whitespace around a header value (RFC 9110 §5.5), inject() does not. */
describe("the bearer parser", () => {
  const header = (authorization: string) => ({ headers: { authorization } });

  it.each([
    ["Bearer abc ", "a trailing space"],
    ["Bearer abc\t", "a trailing tab"],
    [" Bearer abc", "a leading space"],
    ['Bearer ab"c', "a character outside b64token"],
    ["Bearer a=bc", "padding before the end"],
  ])("refuses %j (%s)", (value) => {
    expect(bearerToken(header(value))).toBeUndefined();
  });

  it("takes the token of b64token characters, with trailing padding", () => {
    expect(bearerToken(header("bearer A-z0.9_~+/x=="))).toBe("A-z0.9_~+/x==");
  });
});
