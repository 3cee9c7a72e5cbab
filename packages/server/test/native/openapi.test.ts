import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";

type Operation = { summary?: string; tags?: string[]; responses?: Record<string, unknown> };

describe("OpenAPI document", () => {
  let t: TestNudge;
  let document: { openapi: string; paths: Record<string, Record<string, Operation>> };
  let status: number;
  beforeAll(async () => {
    t = await startTestNudge();
    const response = await fetch(`${t.url}/openapi.json`);
    status = response.status;
    document = (await response.json()) as typeof document;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it("is served without a token, as OpenAPI 3", () => {
    expect(status).toBe(200);
    expect(document.openapi).toMatch(/^3\./);
  });

  it("lists every /v1 and /admin path with its methods", () => {
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations).toEqual(
      expect.arrayContaining([
        "POST /v1/resources",
        "GET /v1/resources",
        "GET /v1/resources/{id}",
        "POST /v1/resources/{id}/changes",
        "GET /v1/resources/{id}/changes",
        "POST /v1/subscriptions",
        "GET /v1/subscriptions",
        "GET /v1/subscriptions/{id}",
        "PATCH /v1/subscriptions/{id}",
        "DELETE /v1/subscriptions/{id}",
        "GET /v1/subscriptions/{id}/attempts",
        "GET /v1/dead-letters",
        "GET /v1/dead-letters/{id}",
        "POST /v1/dead-letters/{id}/replay",
        "POST /admin/tenants",
        "GET /admin/tenants",
        "POST /admin/tenants/{tenantId}/apps",
        "POST /admin/tenants/{tenantId}/users",
        "POST /admin/tenants/{tenantId}/tokens",
        "POST /admin/tenants/{tenantId}/grants",
      ]),
    );
  });

  it("gives every native and admin operation a summary, a tag and an error response", () => {
    for (const [path, methods] of Object.entries(document.paths)) {
      if (!path.startsWith("/v1/") && !path.startsWith("/admin/")) continue;
      for (const [method, operation] of Object.entries(methods)) {
        expect.soft(operation.summary, `${method} ${path}`).toEqual(expect.any(String));
        expect.soft(operation.tags, `${method} ${path}`).toHaveLength(1);
        expect.soft(Object.keys(operation.responses ?? {}), `${method} ${path}`).toContain("401");
      }
    }
  });
});
