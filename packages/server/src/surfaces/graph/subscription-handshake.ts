/**
 * Graph's side of the validation handshake: the token text, and the two error messages Graph
 * answers with when a receiver fails it (clients and people search for these exact words).
 */
import { randomUUID } from "node:crypto";
import { NudgeError } from "../../errors.js";
import { HandshakeFailedError } from "../../subscriptions/service.js";

/**
 * Graph's token is a sentence, not an opaque id, so it arrives URL-encoded with `+` and `%3a`;
 * a receiver that echoes it without decoding fails here as it would against Graph.
 */
export function graphValidationToken(): string {
  return `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
}

export const VALIDATION_FAILED =
  "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.";
export const VALIDATION_TIMED_OUT = "Subscription validation request timed out.";

/** A failed handshake in Graph's words; any other error as it is. */
export function inGraphWords(error: NudgeError): NudgeError {
  if (!(error instanceof HandshakeFailedError)) return error;
  return new NudgeError(error.code, error.timedOut ? VALIDATION_TIMED_OUT : VALIDATION_FAILED);
}
