/**
 * The real `@microsoft/microsoft-graph-client` 3.x pointed at a test Nudge over HTTPS, as the
 * wire-format sheet sets it up: `https://localhost:PORT`, `customHosts` (else the client keeps the
 * token to itself), a bearer token, and a dispatcher that trusts Nudge's self-signed certificate.
 */
import { Client } from "@microsoft/microsoft-graph-client";
import { Agent } from "undici";
import type { TestNudge } from "@nudge/test-support";

export interface GraphTestClient {
  client: Client;
  baseUrl: string;
  close(): Promise<void>;
}

export function graphClientFor(t: TestNudge, token: string): GraphTestClient {
  const tls = t.nudge.tls;
  if (!tls) throw new Error("start the test Nudge with server.tls.selfSigned");
  const dispatcher = new Agent({ connect: { ca: tls.cert } });
  // The certificate names localhost; the client sends the token only to hosts it is told about.
  const baseUrl = t.url.replace("https://127.0.0.1", "https://localhost");
  const client = Client.init({
    baseUrl,
    defaultVersion: "v1.0",
    customHosts: new Set(["localhost"]),
    authProvider: (done) => done(null, token),
    // Node's fetch takes an undici dispatcher; the client spreads fetchOptions into every call.
    // (Node's own undici types and the undici package's differ, hence the cast.)
    fetchOptions: { dispatcher } as unknown as RequestInit,
  });
  return { client, baseUrl, close: () => dispatcher.close() };
}
