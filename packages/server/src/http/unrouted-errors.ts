/**
 * Answers for requests no route's error handler sees: the router's own errors (a path that is not
 * valid percent-encoding, a segment longer than the router takes) and paths no route matches (an
 * unknown root, a method a path does not have). Fastify answers those in its own shape by default;
 * here each gets the format of the surface that owns its path (error-owners.ts), so a Graph client
 * reads a Graph error and a SharePoint client an `odata.error`, whatever went wrong.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NudgeError } from "../errors.js";
import { sendErrorAnswer } from "./error-answer.js";
import { errorRendererFor } from "./error-owners.js";
import { toNudgeError } from "./errors.js";

/** Renders an error in the format of the surface that owns the request's path. */
function sendOwnersError(request: FastifyRequest, reply: FastifyReply, thrown: unknown): FastifyReply {
  const error = toNudgeError(thrown);
  if (error.status >= 500) request.log.error({ err: thrown, url: request.url }, "request failed");
  return sendErrorAnswer(reply, errorRendererFor(request.url)(error, request.headers));
}

/** Fastify's `frameworkErrors` option: errors the router raises before any route is chosen. */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  void sendOwnersError(request, reply, error);
}

/**
 * The root scope's error and not-found handlers. Every surface plugin sets its own; these serve
 * the rest: the root routes (/health, /openapi.json), unknown roots, and paths of the root-level
 * SharePoint plugin that no route matches.
 */
export function useOwnersErrors(app: FastifyInstance): void {
  app.setErrorHandler((thrown, request, reply) => sendOwnersError(request, reply, thrown));
  app.setNotFoundHandler((request, reply) =>
    sendOwnersError(
      request,
      reply,
      new NudgeError("notFound", `Nothing is at ${request.method} ${request.url.split("?")[0]}.`),
    ),
  );
}
