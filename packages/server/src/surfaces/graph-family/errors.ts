/**
 * Microsoft Graph's error format, `{"error":{"code","message","innerError":{"request-id","date"}}}`,
 * which the Graph JS client reads. Used by every `/v1.0` route (Graph subscriptions, drives,
 * OneNote) and by the legacy OneDrive and OneNote APIs, which share it.
 */
import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { NudgeError, type ErrorCode } from "../../errors.js";
import type { ErrorAnswer } from "../../http/error-answer.js";
import { pathOf, useErrorFormat, type ErrorFormat } from "../../http/error-format.js";

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

/**
 * Error and not-found handlers of a plugin scope in Graph's shape (`/v1.0`, `/drive`, `/api/v1.0`).
 * `code` lets a part of Graph spell codes its own way; `reword` and `notFound` word its messages.
 */
export function useGraphErrors(
  app: FastifyInstance,
  options: {
    reword?: ErrorFormat["reword"];
    /** How an unmatched path is worded; null leaves unmatched paths to the parent scope. */
    notFound?: ErrorFormat["notFound"] | null;
    code?: (error: NudgeError) => string;
  } = {},
): void {
  const code = options.code ?? graphErrorCode;
  const notFound =
    options.notFound === undefined
      ? (request: FastifyRequest) =>
          new NudgeError("notFound", `Resource not found for the segment '${pathOf(request.url)}'.`)
      : options.notFound;
  useErrorFormat(app, {
    render: (error) => graphErrorAnswer(error, new Date(), code(error)),
    ...(notFound && { notFound }),
    ...(options.reword && { reword: options.reword }),
  });
}
