/**
 * Microsoft Graph's error format, `{"error":{"code","message","innerError":{"request-id","date"}}}`,
 * which the Graph JS client reads. Used by every `/v1.0` route (Graph subscriptions, drives,
 * OneNote) and by the legacy OneDrive and OneNote APIs, which share it.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import { NudgeError, type ErrorCode } from "../../errors.js";
import { sendErrorAnswer, type ErrorAnswer } from "../../http/error-answer.js";
import { toNudgeError } from "../../http/errors.js";

/** Graph's codes for Nudge's. Graph spells some in camelCase and some in PascalCase; so do we. */
const graphCodes: Partial<Record<ErrorCode, string>> = {
  unauthenticated: "InvalidAuthenticationToken",
  forbidden: "accessDenied",
  notFound: "itemNotFound",
  resourceNotFound: "itemNotFound",
  itemNotFound: "itemNotFound",
  subscriptionNotFound: "ResourceNotFound",
  methodNotAllowed: "invalidRequest",
  invalidRequest: "invalidRequest",
  invalidJson: "BadRequest",
  invalidUrl: "invalidRequest",
  malformedRequest: "BadRequest",
  requestTimeout: "timeout",
  pathSegmentTooLong: "invalidRequest",
  headersTooLarge: "invalidRequest",
  invalidNotificationUrl: "InvalidRequest",
  notificationUrlValidationFailed: "InvalidRequest",
  invalidExpiration: "InvalidRequest",
  clientStateTooLong: "InvalidRequest",
  invalidChangeToken: "invalidRequest",
  changeTokenExpired: "resyncChangesApplyDifferences",
  preconditionFailed: "preconditionFailed",
  payloadTooLarge: "requestTooLarge",
  unsupportedMediaType: "invalidRequest",
  internal: "generalException",
};

export function graphErrorCode(error: NudgeError): string {
  return graphCodes[error.code] ?? error.code;
}

export function graphErrorAnswer(
  error: NudgeError,
  now = new Date(),
  /** Graph's code, where a part of Graph spells it its own way (subscriptions: `InvalidRequest`). */
  code = graphErrorCode(error),
): ErrorAnswer {
  return {
    status: error.status,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify({
      error: {
        code,
        message: error.message,
        innerError: { "request-id": randomUUID(), date: now.toISOString().replace(/\.\d{3}Z$/, "") },
      },
    }),
  };
}

export function sendGraphError(
  reply: FastifyReply,
  error: NudgeError,
  now = new Date(),
  code = graphErrorCode(error),
): FastifyReply {
  return sendErrorAnswer(reply, graphErrorAnswer(error, now, code));
}

/** Error and not-found handlers of a plugin scope, both in Graph's shape. */
export function useGraphErrors(app: FastifyInstance): void {
  app.setErrorHandler((thrown, request, reply) => {
    const error = toNudgeError(thrown);
    if (error.status >= 500) request.log.error({ err: thrown, url: request.url }, "request failed");
    return sendGraphError(reply, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendGraphError(
      reply,
      new NudgeError("notFound", `Resource not found for the segment '${request.url.split("?")[0]}'.`),
    ),
  );
}
