/**
 * Answers to requests Node's HTTP parser rejects before Fastify sees them: a request that is not
 * HTTP, headers over Node's 16 KiB, a request that did not arrive in time. Fastify's stock answer
 * closes the socket without saying so, and a pooled client then sends its next request down the
 * dead connection ("socket hang up"). A parser error leaves the connection unusable (the parser
 * cannot find where the next request starts), so this answer is a complete HTTP response with
 * `Connection: close` — the client opens a new connection for its next request — and for a HEAD
 * it has the headers without the body (RFC 9110 §9.3.2), as any other HEAD answer.
 *
 * The error is in the format of the surface that owns the path, when the parser got as far as the
 * request line in the chunk it rejected (Node passes that chunk as `rawPacket`); otherwise native.
 */
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ConnectionError, FastifyBaseLogger } from "fastify";
import { NudgeError } from "../errors.js";
import { errorRendererFor } from "../surfaces/index.js";

/** What the rejected bytes tell about the request; all unknown when they do not start with a request line. */
interface RejectedRequest {
  method: string | undefined;
  target: string;
  accept: string | undefined;
}

export function answerClientError(log: FastifyBaseLogger) {
  return (error: ConnectionError, socket: Socket): void => {
    // A reset connection has nobody to answer; a written answer must not be followed by a second.
    if (error.code === "ECONNRESET" || socket.destroyed || !socket.writable) return;
    if (answerInFlight(socket)) {
      socket.destroy(error);
      return;
    }
    const nudgeError = nudgeErrorOf(error.code);
    log.debug({ err: error, code: nudgeError.code }, "the HTTP parser rejected a request");
    const request = rejectedRequest((error as { rawPacket?: unknown }).rawPacket);
    const answer = errorRendererFor(request.target)(nudgeError, request);
    const head = [
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ""}`,
      `Content-Type: ${answer.contentType}`,
      `Content-Length: ${Buffer.byteLength(answer.body)}`,
      `Date: ${new Date().toUTCString()}`,
      "Connection: close",
    ].join("\r\n");
    const body = request.method === "HEAD" ? "" : answer.body;
    // End, then destroy once written: the answer reaches the client before the socket goes.
    socket.end(`${head}\r\n\r\n${body}`, () => socket.destroy());
  };
}

function nudgeErrorOf(code: string): NudgeError {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return new NudgeError("headersTooLarge");
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new NudgeError("requestTimeout");
    default:
      return new NudgeError("malformedRequest");
  }
}

/**
 * The method, target and `Accept` header from the start of the rejected chunk. The target may be
 * cut short (an oversized URL is the error itself); its first segments are what decide the surface.
 */
function rejectedRequest(rawPacket: unknown): RejectedRequest {
  const text = Buffer.isBuffer(rawPacket) ? rawPacket.toString("latin1") : "";
  const line = /^([A-Z]+) (\/\S*)/.exec(text);
  const accept = /\r\naccept:[ \t]*([^\r\n]*)/i.exec(text);
  return { method: line?.[1], target: line?.[2] ?? "/", accept: accept?.[1] };
}

/**
 * Whether a response on this socket has begun (a pipelined request failed while the one before it
 * was being answered): writing another would corrupt it, so Node's own handler only closes then.
 */
function answerInFlight(socket: Socket): boolean {
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return response?.headersSent === true;
}
