/**
 * An error as a surface puts it on the wire: status, content type and body text. Renderers return
 * this rather than writing to a Fastify reply, so the same renderer serves a route's error handler,
 * the router's own errors and a raw-socket answer to a request the HTTP parser rejected (which has
 * no reply at all).
 */
import type { FastifyReply } from "fastify";
import type { NudgeError } from "../errors.js";

export interface ErrorAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** What a renderer may read from the request: SharePoint's shape follows `Accept`. */
export interface ErrorRequest {
  accept?: string | undefined;
  /** The request target, where it is known (the root scope picks the owning surface's format by it). */
  url?: string;
}

/** A surface's error format. */
export type ErrorRenderer = (error: NudgeError, request: ErrorRequest) => ErrorAnswer;

export function sendErrorAnswer(reply: FastifyReply, answer: ErrorAnswer): FastifyReply {
  return reply.code(answer.status).header("content-type", answer.contentType).send(answer.body);
}
