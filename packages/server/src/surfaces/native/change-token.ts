/**
 * Native change tokens: a position in one resource's journal, opaque to clients. Inside it is
 * base64url JSON `{"v":1,"r":resourceId,"s":seq}`; the version lets the encoding change later
 * without breaking tokens clients keep. A token only ever works for the resource it came from.
 */
import { NudgeError } from "../../errors.js";

const VERSION = 1;

export function encodeChangeToken(resourceId: string, seq: number): string {
  return Buffer.from(JSON.stringify({ v: VERSION, r: resourceId, s: seq })).toString("base64url");
}

/** The sequence number a token stands for; a malformed token or another resource's → invalidChangeToken. */
export function decodeChangeToken(token: string, resourceId: string): number {
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("not base64url");
    decoded = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new NudgeError(
      "invalidChangeToken",
      "The change token is malformed; start again without a token or with token=latest.",
    );
  }
  const { v, r, s } = (decoded ?? {}) as { v?: unknown; r?: unknown; s?: unknown };
  if (v !== VERSION || typeof r !== "string" || typeof s !== "number" || !Number.isSafeInteger(s) || s < 0) {
    throw new NudgeError(
      "invalidChangeToken",
      "The change token is malformed; start again without a token or with token=latest.",
    );
  }
  if (r !== resourceId) {
    throw new NudgeError(
      "invalidChangeToken",
      `The change token belongs to another resource, not '${resourceId}'.`,
    );
  }
  return s;
}
