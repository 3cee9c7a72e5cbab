/**
 * One error format per plugin scope: whatever a route throws, and a path no route there matches,
 * is answered in the scope's surface's format. Every surface installs its format with this, so
 * what is logged (5xx, with their cause) and how an answer is sent is written once.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { NudgeError } from "../errors.js";
import { sendErrorAnswer, type ErrorRenderer } from "./error-answer.js";
import { toNudgeError } from "./errors.js";

export interface ErrorFormat {
  render: ErrorRenderer;
  /**
   * What a path no route of the scope matches is answered (a `notFound` worded as the platform
   * words it). Without it the scope's parent answers unmatched paths.
   */
  notFound?: (request: FastifyRequest) => NudgeError;
  /** Rewords an error before it is rendered (a surface's own message for a shared code). */
  reword?: (error: NudgeError) => NudgeError;
}

export function useErrorFormat(app: FastifyInstance, format: ErrorFormat): void {
  app.setErrorHandler((thrown, request, reply) => {
    const plain = toNudgeError(thrown);
    const error = format.reword ? format.reword(plain) : plain;
    // 5xx are Nudge's fault: keep what went wrong in the log, never in the answer.
    if (error.status >= 500) request.log.error({ err: thrown, url: request.url }, "request failed");
    return sendErrorAnswer(reply, format.render(error, requestOf(request)));
  });
  const { notFound } = format;
  if (notFound) {
    app.setNotFoundHandler((request, reply) =>
      sendErrorAnswer(reply, format.render(notFound(request), requestOf(request))),
    );
  }
}

/** `Nothing is at GET /path.`: the native wording of an unmatched path. */
export function nothingAt(request: FastifyRequest): NudgeError {
  return new NudgeError("notFound", `Nothing is at ${request.method} ${pathOf(request.url)}.`);
}

/** A request target without its query. */
export function pathOf(url: string): string {
  return url.split("?")[0]!;
}

function requestOf(request: FastifyRequest): { accept: string | undefined; url: string } {
  return { accept: request.headers.accept, url: request.url };
}
