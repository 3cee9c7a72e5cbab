/** Turns whatever a route threw into a NudgeError, which each surface then renders in its own shape. */
import { isNudgeError, NudgeError } from "../errors.js";

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  validation?: unknown[];
  validationContext?: string;
}

export function toNudgeError(error: unknown): NudgeError {
  if (isNudgeError(error)) return error;
  const e = error as FastifyLikeError;
  if (e.validation)
    return new NudgeError(
      "invalidRequest",
      `The request ${e.validationContext ?? "body"} is not valid: ${e.message}`,
    );
  switch (e.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new NudgeError("payloadTooLarge");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new NudgeError("unsupportedMediaType");
    case "FST_ERR_BAD_URL":
      return new NudgeError("invalidUrl");
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new NudgeError("pathSegmentTooLong");
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new NudgeError("invalidJson");
  }
  if (e.statusCode === 404) return new NudgeError("notFound");
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500)
    return new NudgeError("invalidRequest", e.message);
  return new NudgeError("internal");
}
