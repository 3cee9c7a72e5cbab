/**
 * Answers for requests no route's error handler sees: the router's own errors (a path that is not
 * valid percent-encoding, a segment longer than the router takes) and paths no route matches (an
 * unknown root, a method a path does not have). Fastify answers those in its own shape by default;
 * here each gets the format of the surface that owns its path (surfaces/index.ts), so a Graph client
 * reads a Graph error and a SharePoint client an `odata.error`, whatever went wrong.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { sendErrorAnswer, type ErrorRenderer } from "../http/error-answer.js";
import { nothingAt, useErrorFormat } from "../http/error-format.js";
import { toNudgeError } from "../http/errors.js";
import { errorRendererFor } from "../surfaces/index.js";

/** The format of the surface that owns the request's path. */
const ownersFormat: ErrorRenderer = (error, request) => errorRendererFor(request.url ?? "/")(error, request);

/** Fastify's `frameworkErrors` option: errors the router raises before any route is chosen. */
export function answerFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const answer = ownersFormat(toNudgeError(error), { accept: request.headers.accept, url: request.url });
  void sendErrorAnswer(reply, answer);
}

/**
 * The root scope's error and not-found handlers. Every surface plugin sets its own; these serve
 * the rest: the root routes (/health, /openapi.json), unknown roots, and paths of the root-level
 * SharePoint plugin that no route matches.
 */
export function useOwnersErrors(app: FastifyInstance): void {
  useErrorFormat(app, { render: ownersFormat, notFound: nothingAt });
}
