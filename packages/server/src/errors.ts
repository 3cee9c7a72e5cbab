/**
 * The registry of error codes. Every error Nudge returns has a stable code and an HTTP status,
 * listed here once; each surface renders them in its own wire format (SharePoint `odata.error`,
 * Graph `error{code,message,innerError}`, native `error{code,message}`). docs/errors.md documents
 * every code, and a test fails when one is missing there.
 */
export const errorCodes = {
  unauthenticated: { status: 401, message: "A valid bearer token is required." },
  forbidden: { status: 403, message: "This credential may not do that." },
  notFound: { status: 404, message: "Nothing is at this path." },
  resourceNotFound: { status: 404, message: "The resource does not exist or you have no access to it." },
  itemNotFound: { status: 404, message: "The item does not exist." },
  siteNotFound: { status: 404, message: "File Not Found." },
  subscriptionNotFound: { status: 404, message: "The subscription does not exist." },
  deadLetterNotFound: { status: 404, message: "The dead letter does not exist." },
  tenantNotFound: { status: 404, message: "The tenant does not exist." },
  userNotFound: { status: 404, message: "The user does not exist." },
  appNotFound: { status: 404, message: "The app does not exist." },
  methodNotAllowed: { status: 405, message: "This method is not allowed on this path." },
  invalidRequest: { status: 400, message: "The request is not valid." },
  invalidJson: { status: 400, message: "The request body is not valid JSON." },
  invalidUrl: { status: 400, message: "The URL's path is not valid percent-encoding." },
  malformedRequest: { status: 400, message: "The request is not valid HTTP." },
  requestTimeout: { status: 408, message: "The request did not arrive in time." },
  pathSegmentTooLong: { status: 414, message: "A segment of the path is longer than 100 characters." },
  headersTooLarge: {
    status: 431,
    message: "The request line and headers are larger than the server reads (16 KiB).",
  },
  invalidNotificationUrl: {
    status: 400,
    message: "The notification URL must be an absolute http or https URL.",
  },
  notificationUrlValidationFailed: { status: 400, message: "Failed to validate the notification URL." },
  invalidExpiration: { status: 400, message: "The expiration date is not valid." },
  clientStateTooLong: { status: 400, message: "clientState must be at most 128 characters." },
  invalidChangeToken: { status: 400, message: "The change token is not valid for this resource." },
  changeTokenExpired: { status: 410, message: "The change token can no longer be served; start again." },
  listAlreadyExists: { status: 409, message: "A list with the specified title already exists." },
  nameAlreadyExists: { status: 409, message: "An item with this name already exists in this location." },
  preconditionFailed: { status: 412, message: "The item has changed since the given etag." },
  payloadTooLarge: { status: 413, message: "The request body is too large." },
  unsupportedMediaType: { status: 415, message: "The request body must be JSON." },
  subscriptionDisabled: {
    status: 409,
    message: "The subscription is disabled; renew it (update its expiration) to enable it again.",
  },
  adminDisabled: { status: 403, message: "The admin API is disabled: set NUDGE_ADMIN_TOKEN." },
  internal: { status: 500, message: "Something went wrong inside Nudge." },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/**
 * What an error is about, in data, so each surface can word it its own way without re-reading
 * the request (Graph states a lifetime in minutes where the service counts days).
 */
export interface ErrorDetail {
  /** The limit that was exceeded, with its unit. */
  limit?: { value: number; unit: "ms" | "characters" | "items" | "bytes" };
  /** Why a value was refused, in one word a surface can switch on. */
  reason?: "tooFar" | "inThePast" | "unparsable" | "tooLong";
}

export class NudgeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: ErrorDetail;

  constructor(code: ErrorCode, message?: string, detail: ErrorDetail = {}) {
    super(message ?? errorCodes[code].message);
    this.name = "NudgeError";
    this.code = code;
    this.status = errorCodes[code].status;
    this.detail = detail;
  }
}

export function isNudgeError(error: unknown): error is NudgeError {
  return error instanceof NudgeError;
}
