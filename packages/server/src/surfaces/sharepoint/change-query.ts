/**
 * SharePoint's `SP.ChangeQuery` (the body of `getchanges`) as a journal query. As in SharePoint,
 * every flag defaults to false: a query must ask for the kinds of change (`Add`, `Update`,
 * `DeleteObject`, `Rename`, `Move`) and for item changes (`Item`) it wants. Verbose clients send
 * booleans as `"True"`/`"False"` strings and add `__metadata`; both are accepted.
 */
import { NudgeError } from "../../errors.js";
import type { ChangeKind, ChangeQuery } from "../../resources/feed.js";
import { decodeChangeToken } from "./change-token.js";

/** ChangeQuery flag → journal change kind. */
const kindOfFlag: Record<string, ChangeKind> = {
  Add: "add",
  Update: "update",
  DeleteObject: "delete",
  Rename: "rename",
  Move: "move",
};

/** Returns the journal query, or null when the query asks for nothing the journal holds. */
export function changeQueryOf(body: unknown, listId: string): ChangeQuery | null {
  const query = queryObject(body);
  const kinds = Object.entries(kindOfFlag)
    .filter(([flag]) => flagOf(query, flag))
    .map(([, kind]) => kind);
  const journal: ChangeQuery = { resourceId: listId, kinds, newestFirst: flagOf(query, "LatestFirst") };
  const start = tokenOf(query, "ChangeTokenStart");
  if (start !== undefined) {
    const position = decodeChangeToken(start, listId);
    if ("seq" in position) journal.afterSeq = position.seq;
    else journal.sinceTime = position.time;
  }
  const end = tokenOf(query, "ChangeTokenEnd");
  if (end !== undefined) {
    const position = decodeChangeToken(end, listId);
    if ("seq" in position) journal.untilSeq = position.seq;
    else journal.untilTime = position.time;
  }
  const limit = fetchLimitOf(query);
  if (limit !== undefined) journal.limit = limit;
  // The journal of a list holds only item changes: without `Item` there is nothing to return.
  if (!flagOf(query, "Item") || kinds.length === 0) return null;
  return journal;
}

function queryObject(body: unknown): Record<string, unknown> {
  const query = isObject(body) ? body.query : undefined;
  if (!isObject(query)) {
    throw new NudgeError("invalidRequest", 'The body must be {"query":{...}} with an SP.ChangeQuery object.');
  }
  return query;
}

function flagOf(query: Record<string, unknown>, name: string): boolean {
  const value = query[name];
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw new NudgeError("invalidRequest", `ChangeQuery.${name} must be a boolean.`);
}

/** A token is `{"StringValue":"1;3;…"}` (as SharePoint returns it) or the bare string. */
function tokenOf(query: Record<string, unknown>, name: string): unknown {
  const value = query[name];
  if (value === undefined || value === null) return undefined;
  if (isObject(value)) return value.StringValue;
  return value;
}

function fetchLimitOf(query: Record<string, unknown>): number | undefined {
  const value = query.FetchLimit;
  if (value === undefined || value === null) return undefined;
  const limit = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 0) {
    throw new NudgeError("invalidRequest", "ChangeQuery.FetchLimit must be a non-negative integer.");
  }
  // 0 is SharePoint's default value of the field: no limit was asked for.
  return limit === 0 ? undefined : limit;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
