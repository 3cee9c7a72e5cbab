/**
 * Delta tokens: a position in one drive's journal for one folder's view, opaque to clients.
 * Inside is base64url JSON with the drive (`r`), the folder (`i`) and where the round stands:
 *
 * | position      | carried by                | means                                              |
 * | ------------- | ------------------------- | -------------------------------------------------- |
 * | `after`       | deltaLink, `@delta.token` | everything up to journal seq `s` has been seen     |
 * | `enumeration` | nextLink of a first round | items numbered ≤ `n` after `k`; round ends at `e`  |
 * | `changes`     | nextLink of a later round | items changed in `s < seq ≤ e`, from offset `o`    |
 *
 * A round's end (`e`) is fixed when it starts, so its pages stay stable while changes keep
 * arriving; those belong to the next round. A `changes` position also says where the entry at its
 * offset first changed in the slice (`f`), so the next page is read from there rather than by
 * counting the list from its start; tokens without `f` (handed out before it was added, or by a
 * node that does not know it) are still read by their offset, which names the same entry.
 */
import { NudgeError } from "../../errors.js";

export type DeltaPosition =
  | { kind: "after"; seq: number }
  | { kind: "enumeration"; endSeq: number; maxNumber: number; afterNumber: number }
  | { kind: "changes"; afterSeq: number; endSeq: number; offset: number; fromSeq?: number };

const VERSION = 1;

export function encodeDeltaToken(driveId: string, folderId: string, position: DeltaPosition): string {
  const inner =
    position.kind === "after"
      ? { s: position.seq }
      : position.kind === "enumeration"
        ? { e: position.endSeq, n: position.maxNumber, k: position.afterNumber }
        : {
            s: position.afterSeq,
            e: position.endSeq,
            o: position.offset,
            ...(position.fromSeq !== undefined && { f: position.fromSeq }),
          };
  return Buffer.from(JSON.stringify({ v: VERSION, r: driveId, i: folderId, ...inner })).toString("base64url");
}

export function decodeDeltaToken(token: string, driveId: string, folderId: string): DeltaPosition {
  const fields = parse(token);
  if (fields.r !== driveId || fields.i !== folderId) {
    throw new NudgeError(
      "invalidChangeToken",
      "The delta token belongs to another drive or folder; start again without a token.",
    );
  }
  const { s, e, n, k, o, f } = fields;
  if (isSeq(s) && e === undefined && n === undefined) return { kind: "after", seq: s };
  if (s === undefined && isSeq(e) && isSeq(n) && isSeq(k))
    return { kind: "enumeration", endSeq: e, maxNumber: n, afterNumber: k };
  if (isSeq(s) && isSeq(e) && isSeq(o) && s <= e && f === undefined)
    return { kind: "changes", afterSeq: s, endSeq: e, offset: o };
  if (isSeq(s) && isSeq(e) && isSeq(o) && isSeq(f) && s < f && f <= e)
    return { kind: "changes", afterSeq: s, endSeq: e, offset: o, fromSeq: f };
  throw malformed();
}

function parse(token: string): Record<string, unknown> {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error("not base64url");
    const decoded: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (typeof decoded !== "object" || decoded === null) throw new Error("not an object");
    const fields = decoded as Record<string, unknown>;
    if (fields.v !== VERSION || typeof fields.r !== "string" || typeof fields.i !== "string")
      throw new Error("not a delta token");
    return fields;
  } catch {
    throw malformed();
  }
}

function isSeq(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

function malformed(): NudgeError {
  return new NudgeError(
    "invalidChangeToken",
    "The delta token is malformed; start again without a token or with token=latest.",
  );
}
