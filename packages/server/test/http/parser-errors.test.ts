/**
 * Requests Node's HTTP parser rejects before Fastify sees them (not HTTP, headers over 16 KiB).
 * The connection cannot carry another request after one, so the answer must be complete and say
 * `Connection: close`; a pooled client then opens a new connection for its next request instead
 * of losing it on the dead one. The error is in the format of the surface that owns the path.
 */
import { Agent, request } from "node:http";
import { Pool } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { rawExchange } from "../helpers/raw-http.js";

/** Over Node's 16 KiB limit for the request line and headers together. */
const OVERSIZED = "y".repeat(20_000);

describe("answers to requests the HTTP parser rejects", () => {
  let t: TestNudge;
  beforeEach(async () => {
    t = await startTestNudge();
  });
  afterEach(async () => {
    await t?.stop();
  });

  it("answers a malformed request line with a complete 400 malformedRequest and Connection: close", async () => {
    const answer = await rawExchange(t.url, "NOT AN HTTP REQUEST\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.headers.connection).toBe("close");
    expect(Number(answer.headers["content-length"])).toBe(Buffer.byteLength(answer.body));
    expect(JSON.parse(answer.body)).toEqual({
      error: { code: "malformedRequest", message: expect.any(String) },
    });
  });

  it.each([
    ["/v1/subscriptions", "native", { error: { code: "headersTooLarge", message: expect.any(String) } }],
    [
      "/v1.0/subscriptions",
      "graph",
      { error: { code: "invalidRequest", message: expect.any(String), innerError: expect.any(Object) } },
    ],
    [
      "/api/v1.0/me/notes/pages",
      "graph",
      { error: { code: "invalidRequest", message: expect.any(String), innerError: expect.any(Object) } },
    ],
    [
      "/sites/team/_api/web",
      "sharepoint",
      { "odata.error": { code: expect.any(String), message: { lang: "en-US", value: expect.any(String) } } },
    ],
  ])(
    "answers headers over 16 KiB on %s with 431 in the %s format and Connection: close",
    async (path, _format, body) => {
      const answer = await rawExchange(
        t.url,
        `GET ${path} HTTP/1.1\r\nHost: nudge\r\nX-Padding: ${OVERSIZED}\r\n\r\n`,
      );
      expect(answer.status).toBe(431);
      expect(answer.headers.connection).toBe("close");
      expect(Number(answer.headers["content-length"])).toBe(Buffer.byteLength(answer.body));
      expect(JSON.parse(answer.body)).toEqual(body);
    },
  );

  it("answers HEAD with an oversized URL with 431 and no body", async () => {
    const answer = await rawExchange(t.url, `HEAD /v1/${OVERSIZED} HTTP/1.1\r\nHost: nudge\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.headers.connection).toBe("close");
    expect(answer.body).toBe("");
  });

  it("lets a pooled undici client's next request succeed after a 431", async () => {
    // One connection taking two requests at once: the second goes out behind the first, on the
    // socket the parser error closes. Told `Connection: close`, undici sends it again on a new one.
    const pool = new Pool(t.url, { connections: 1, pipelining: 2 });
    try {
      const [refused, next] = await Promise.all([
        pool.request({ method: "GET", path: "/v1/subscriptions", headers: { "x-padding": OVERSIZED } }),
        pool.request({ method: "GET", path: "/v1/subscriptions", headers: t.auth.alice }),
      ]);
      await Promise.all([refused.body.dump(), next.body.dump()]);
      expect([refused.statusCode, refused.headers.connection]).toEqual([431, "close"]);
      expect(next.statusCode).toBe(200);
    } finally {
      await pool.close();
    }
  });

  it("lets a keep-alive node:http agent's next request succeed after a 431 (no 'socket hang up')", async () => {
    // One socket: the agent hands it to the queued request as soon as the 431 has been read,
    // unless the answer said the connection closes.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const [refused, next] = await Promise.all([
        get(`${t.url}/v1/subscriptions`, agent, { "x-padding": OVERSIZED }),
        get(`${t.url}/v1/subscriptions`, agent, t.auth.alice),
      ]);
      expect(refused).toEqual({ status: 431, connection: "close" });
      expect(next.status).toBe(200);
    } finally {
      agent.destroy();
    }
  });
});

/** A GET through `agent`, resolved with the status and the `Connection` header once read. */
function get(url: string, agent: Agent, headers: Record<string, string>) {
  return new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
    const outgoing = request(url, { agent, headers }, (response) => {
      response.resume();
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}
