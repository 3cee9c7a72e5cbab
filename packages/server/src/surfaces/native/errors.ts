/**
 * The native error format, `{"error":{"code":"…","message":"…"}}` with the code's status, used by
 * `/v1` and `/admin` (and by every path no surface owns). Installed per plugin scope so the
 * compatible surfaces keep their own formats.
 */
import type { FastifyInstance } from "fastify";
import type { NudgeError } from "../../errors.js";
import type { ErrorAnswer } from "../../http/error-answer.js";
import { nothingAt, useErrorFormat } from "../../http/error-format.js";

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

/** Error and not-found handlers of a plugin scope (`/v1`, `/admin`), both in the native shape. */
export function useNativeErrors(app: FastifyInstance): void {
  useErrorFormat(app, { render: nativeErrorAnswer, notFound: nothingAt });
}
