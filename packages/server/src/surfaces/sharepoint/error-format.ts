/**
 * SharePoint's error format. SharePoint reports a .NET exception as `"{hresult}, {exception type}"`
 * with a message: `{"odata.error":{"code":…,"message":{"lang":"en-US","value":…}}}`, or under the
 * key `"error"` when the client asked for `odata=verbose`. Each Nudge error code maps to the
 * exception SharePoint raises in the same situation (or a plausible one where it has none).
 */
import type { ErrorCode, NudgeError } from "../../errors.js";
import type { ErrorAnswer, ErrorRequest } from "../../http/error-answer.js";
import { contentTypeOf, shapeOf, type ODataShape } from "./odata-shape.js";

const INVALID_QUERY = "-1, Microsoft.SharePoint.Client.InvalidClientQueryException";
const ARGUMENT = "-1, System.ArgumentException";
const OUT_OF_RANGE = "-1, System.ArgumentOutOfRangeException";
const INVALID_OPERATION = "-1, System.InvalidOperationException";
const ACCESS_DENIED = "-2147024891, System.UnauthorizedAccessException";
const CLIENT_SERVICE = "-1, Microsoft.SharePoint.Client.ClientServiceException";

const exceptionOf: Partial<Record<ErrorCode, string>> = {
  unauthenticated: ACCESS_DENIED,
  forbidden: ACCESS_DENIED,
  notFound: INVALID_QUERY,
  methodNotAllowed: INVALID_QUERY,
  resourceNotFound: ARGUMENT,
  itemNotFound: "-2130575338, System.ArgumentException",
  // What SharePoint Online answers for `/sites/{a site that does not exist}/_api/…`.
  siteNotFound: "-2147024894, System.IO.FileNotFoundException",
  subscriptionNotFound: "-1, Microsoft.SharePoint.Client.ResourceNotFoundException",
  invalidRequest: INVALID_QUERY,
  invalidJson: INVALID_QUERY,
  invalidUrl: INVALID_QUERY,
  malformedRequest: INVALID_QUERY,
  pathSegmentTooLong: INVALID_QUERY,
  headersTooLarge: CLIENT_SERVICE,
  unsupportedMediaType: INVALID_QUERY,
  invalidNotificationUrl: ARGUMENT,
  notificationUrlValidationFailed: INVALID_OPERATION,
  invalidExpiration: OUT_OF_RANGE,
  clientStateTooLong: OUT_OF_RANGE,
  invalidChangeToken: ARGUMENT,
  changeTokenExpired: "-2146232832, Microsoft.SharePoint.SPInvalidChangeTokenException",
  listAlreadyExists: "-2130575342, Microsoft.SharePoint.SPException",
  preconditionFailed: CLIENT_SERVICE,
  payloadTooLarge: CLIENT_SERVICE,
  subscriptionDisabled: INVALID_OPERATION,
};

const FALLBACK = "-2146232832, Microsoft.SharePoint.SPException";

function sharePointErrorBody(shape: ODataShape, error: NudgeError): Record<string, unknown> {
  const body = {
    code: exceptionOf[error.code] ?? FALLBACK,
    message: { lang: "en-US", value: error.message },
  };
  return shape === "verbose" ? { error: body } : { "odata.error": body };
}

/** The whole answer, in the shape the request's `Accept` asks for. */
export function sharePointErrorAnswer(error: NudgeError, request: ErrorRequest): ErrorAnswer {
  const shape = shapeOf(request.accept);
  return {
    status: error.status,
    contentType: contentTypeOf(shape),
    body: JSON.stringify(sharePointErrorBody(shape, error)),
  };
}
