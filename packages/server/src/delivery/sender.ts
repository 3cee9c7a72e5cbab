/**
 * Sends one delivery: a POST of `{"value":[...]}` to one notification URL, through undici's
 * connection pools. Redirects are never followed, the time-out is strict, and at most a small
 * part of the response body is read (a receiver cannot make Nudge buffer megabytes).
 */
import { Agent, request, type Dispatcher } from "undici";
import { deliveryDeadlines } from "./deadlines.js";

export interface SendResult {
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  /** No answer within the time-out (what the endpoint breaker counts). */
  timedOut?: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  responseBodyLimitBytes: number;
}

export const USER_AGENT = "Nudge/0.1 (+https://github.com/nudge-webhooks/nudge)";

/**
 * One Agent (a Pool per origin) for all outgoing traffic of a node: handshakes and deliveries.
 * The per-origin connection limit must be as large as the node's whole concurrency: many
 * notification URLs share one host, and a dead URL must not hold the sockets a healthy URL on the
 * same host needs. The per-URL cap is the dispatcher's job.
 */
export function createHttpAgent(connectionsPerOrigin: number): Agent {
  return new Agent({ connections: connectionsPerOrigin, pipelining: 1, keepAliveTimeout: 10_000 });
}

export async function sendDelivery(
  dispatcher: Dispatcher,
  url: string,
  body: string,
  deliveryId: string,
  options: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const deadline = deliveryDeadlines.after(options.timeoutMs);
  const signal = deadline.signal;
  try {
    const response = await request(url, {
      method: "POST",
      dispatcher,
      signal,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": USER_AGENT,
        "x-nudge-delivery-id": deliveryId,
      },
      body,
    });
    await drain(response.body, options.responseBodyLimitBytes);
    return { statusCode: response.statusCode, durationMs: elapsed(started), error: null };
  } catch (error) {
    const message = signal.aborted ? `timed out after ${options.timeoutMs} ms` : describe(error);
    return { statusCode: null, durationMs: elapsed(started), error: message, timedOut: signal.aborted };
  } finally {
    deadline.clear();
  }
}

/** Reads (and discards) up to `limit` bytes, then closes the stream so the socket is freed or dropped. */
async function drain(body: Dispatcher.ResponseData["body"], limit: number): Promise<void> {
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      return;
    }
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

function describe(error: unknown): string {
  const e = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e.cause?.code ?? e.code;
  const message = e.cause?.message ?? e.message ?? String(error);
  return code ? `${code}: ${message}` : message;
}
