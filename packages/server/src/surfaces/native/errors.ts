/**
 * The native error format, `{"error":{"code":"…","message":"…"}}` with the code's status, used by
 * `/v1` and `/admin` (and by every path no surface owns). Installed per plugin scope so the
 * compatible surfaces keep their own formats.
 */
import type { FastifyInstance, FastifyReply } from "fastify";
import { NudgeError } from "../../errors.js";
import { sendErrorAnswer, type ErrorAnswer } from "../../http/error-answer.js";
import { toNudgeError } from "../../http/errors.js";

/** The JSON schema of an error response (for the OpenAPI document). */
export const errorSchema = {
  type: "object",
  description: "An error: a stable code (see docs/errors.md) and a message for people.",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" } },
      required: ["code", "message"],
    },
  },
  required: ["error"],
} as const;

export function nativeErrorAnswer(error: NudgeError): ErrorAnswer {
  return {
    status: error.status,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify({ error: { code: error.code, message: error.message } }),
  };
}

export function sendNativeError(reply: FastifyReply, error: NudgeError): FastifyReply {
  return sendErrorAnswer(reply, nativeErrorAnswer(error));
}

/** Error and not-found handlers of a plugin scope, both in the native shape. */
export function useNativeErrors(app: FastifyInstance): void {
  app.setErrorHandler((thrown, request, reply) => {
    const error = toNudgeError(thrown);
    // 5xx are Nudge's fault: keep what went wrong in the log, never in the answer.
    if (error.status >= 500) request.log.error({ err: thrown, url: request.url }, "request failed");
    return sendNativeError(reply, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendNativeError(
      reply,
      new NudgeError("notFound", `Nothing is at ${request.method} ${request.url.split("?")[0]}.`),
    ),
  );
}
