/**
 * The validation handshake: before a subscription is stored, Nudge POSTs
 * `{notificationUrl}?{parameter}={token}` with an empty body, and the receiver must answer 200
 * with the token as plain text within the time limit. Redirects are not followed (a 3xx fails).
 */
import { randomUUID } from "node:crypto";
import { request, type Dispatcher } from "undici";
import type { HandshakeRules } from "../policy/handshake-rules.js";

export type { HandshakeRules } from "../policy/handshake-rules.js";

export type HandshakeResult = { ok: true } | { ok: false; reason: string; timedOut: boolean };

const MAX_ECHO_BYTES = 4096;

export async function validateReceiver(
  dispatcher: Dispatcher,
  notificationUrl: string,
  rules: HandshakeRules,
): Promise<HandshakeResult> {
  const token = rules.makeToken?.() ?? randomUUID();
  const url = new URL(notificationUrl);
  url.searchParams.set(rules.parameter, token);
  const signal = AbortSignal.timeout(rules.timeoutMs);
  try {
    const response = await request(url, {
      method: "POST",
      dispatcher,
      signal,
      headers: { "content-length": "0", ...(rules.contentType && { "content-type": rules.contentType }) },
      body: "",
    });
    const body = await readCapped(response.body, MAX_ECHO_BYTES, signal);
    if (response.statusCode !== 200) {
      return { ok: false, reason: `the receiver answered ${response.statusCode}, not 200`, timedOut: false };
    }
    const contentType = String(response.headers["content-type"] ?? "");
    if (contentType && !contentType.toLowerCase().startsWith("text/plain")) {
      return {
        ok: false,
        reason: `the receiver answered with ${contentType}, not text/plain`,
        timedOut: false,
      };
    }
    if (body !== token)
      return { ok: false, reason: "the receiver did not echo the validation token", timedOut: false };
    return { ok: true };
  } catch (error) {
    const timedOut = signal.aborted;
    const reason = timedOut
      ? `the receiver did not answer within ${rules.timeoutMs} ms`
      : `the receiver could not be reached (${(error as Error).message})`;
    return { ok: false, reason, timedOut };
  }
}

async function readCapped(
  body: Dispatcher.ResponseData["body"],
  limit: number,
  signal: AbortSignal,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    if (signal.aborted) break;
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      break;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
