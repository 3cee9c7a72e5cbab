/**
 * OneNote's query options — `filter`, `orderby`, `top`, `skip`, `select` (the old API), or the same
 * with `$` (Graph; either spelling is accepted on both) — read into the notes service's neutral
 * query. Filters compare createdTime and lastModifiedTime (Graph: …DateTime) with eq, ge, gt, le,
 * lt, joined by `and`; anything else is a 400 that says what is supported rather than a guess.
 */
import { NudgeError } from "../../errors.js";
import type { NoteColumn, NoteComparison, NoteItemType, NoteQuery } from "../../resources/notes/service.js";
import type { NotesSpelling } from "./spelling.js";

/** OneNote: 20 pages by default, at most 100 at a time. Notebooks and sections: all (up to 100). */
export const MAX_TOP = 100;
const DEFAULT_TOP: Record<NoteItemType, number> = { page: 20, section: MAX_TOP, notebook: MAX_TOP };

const COMPARISONS = new Set<NoteComparison>(["eq", "ge", "gt", "le", "lt"]);

export interface ListOptions {
  query: NoteQuery;
  /** Properties to return, or undefined for all. */
  select: string[] | undefined;
}

export function parseListOptions(
  raw: Record<string, unknown>,
  type: NoteItemType,
  spelling: NotesSpelling,
  selectable: string[],
): ListOptions {
  const option = (name: string) => textOption(raw, name);
  const top = integerOption(option("top"), "top", DEFAULT_TOP[type]);
  if (top < 1 || top > MAX_TOP)
    throw new NudgeError(
      "invalidRequest",
      `The query option top must be between 1 and ${MAX_TOP}; it was ${top}.`,
    );
  const skip = integerOption(option("skip"), "skip", 0);
  const filter = option("filter");
  const orderby = option("orderby");
  return {
    query: {
      where: filter === undefined ? [] : parseFilter(filter, spelling),
      orderBy:
        orderby === undefined
          ? type === "page"
            ? [{ column: "modifiedAt", descending: true }]
            : [{ column: "name", descending: false }]
          : parseOrderBy(orderby, type, spelling),
      top,
      skip,
    },
    select: parseSelect(option("select"), selectable),
  };
}

/** `select` alone, for a single item. */
export function parseSelectOption(raw: Record<string, unknown>, selectable: string[]): string[] | undefined {
  return parseSelect(textOption(raw, "select"), selectable);
}

export function applySelect(
  body: Record<string, unknown>,
  select: string[] | undefined,
): Record<string, unknown> {
  if (!select) return body;
  return Object.fromEntries(Object.entries(body).filter(([key]) => select.includes(key)));
}

/** `filter` or `$filter`; repeating an option is a mistake worth a clear answer. */
function textOption(raw: Record<string, unknown>, name: string): string | undefined {
  const values = [raw[name], raw[`$${name}`]].flat().filter((v) => v !== undefined);
  if (values.length > 1)
    throw new NudgeError("invalidRequest", `The query option ${name} is given more than once.`);
  return values[0] === undefined ? undefined : String(values[0]);
}

function integerOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  // Plain digits, at most nine of them: `1e3`, ` 5` and a number past any real page are refused.
  if (!/^\d{1,9}$/.test(value))
    throw new NudgeError(
      "invalidRequest",
      `The query option ${name} must be a whole number; it was '${value}'.`,
    );
  return Number(value);
}

function parseFilter(filter: string, spelling: NotesSpelling): NoteQuery["where"] {
  const { created, modified } = spelling.properties;
  const hint = `Nudge filters on ${modified} and ${created}, compared with eq, ge, gt, le or lt to an ISO 8601 time and joined by 'and' (e.g. '${modified} ge 2024-01-01T00:00:00Z').`;
  const tokens = filter.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) throw new NudgeError("invalidRequest", `The filter is empty. ${hint}`);
  const where: NoteQuery["where"] = [];
  for (let at = 0; ; at += 4) {
    const [property, op, value] = tokens.slice(at, at + 3);
    if (property === undefined || op === undefined || value === undefined)
      throw new NudgeError("invalidRequest", `The filter '${filter}' is not valid. ${hint}`);
    const column = property === modified ? "modifiedAt" : property === created ? "createdAt" : undefined;
    if (!column)
      throw new NudgeError("invalidRequest", `The filter cannot use the property '${property}'. ${hint}`);
    const comparison = op.toLowerCase() as NoteComparison;
    if (!COMPARISONS.has(comparison))
      throw new NudgeError("invalidRequest", `The filter operator '${op}' is not supported. ${hint}`);
    where.push({ column, op: comparison, at: parseTime(value, property) });
    const joiner = tokens[at + 3];
    if (joiner === undefined) return where;
    if (joiner.toLowerCase() !== "and")
      throw new NudgeError(
        "invalidRequest",
        `The filter joins conditions with '${joiner}'; only 'and' is supported. ${hint}`,
      );
  }
}

const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

/** An ISO 8601 time, bare or quoted (`'…'`, `datetime'…'`); no zone means UTC. */
function parseTime(value: string, property: string): number {
  const text = value.replace(/^(?:datetime)?'(.*)'$/i, "$1");
  const match = ISO_TIME.exec(text);
  const [, year, month, day, hour = "00", minute = "00", second = "00", zone] = match ?? [];
  let ms = Number.NaN;
  if (match) {
    // Date.parse rolls 2024-02-30 over into March; a date that does not survive the round trip is wrong.
    const fraction = /\.(\d+)/.exec(text)?.[1] ?? "";
    const stamp = `${year}-${month}-${day}T${hour}:${minute}:${second}${fraction ? `.${fraction.slice(0, 3).padEnd(3, "0")}` : ""}${zone ?? "Z"}`;
    ms = Date.parse(stamp);
    const utc = new Date(Date.parse(`${year}-${month}-${day}T00:00:00Z`));
    if (utc.getUTCDate() !== Number(day) || utc.getUTCMonth() + 1 !== Number(month)) ms = Number.NaN;
    if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) ms = Number.NaN;
  }
  if (Number.isNaN(ms))
    throw new NudgeError(
      "invalidRequest",
      `'${value}' is not a valid time for ${property}: use ISO 8601, e.g. 2024-01-01T00:00:00Z.`,
    );
  return ms;
}

function parseOrderBy(orderby: string, type: NoteItemType, spelling: NotesSpelling): NoteQuery["orderBy"] {
  const { created, modified, name } = spelling.properties;
  // A Map, not an object: `constructor` or `__proto__` from the query must not find a property.
  const columns = new Map<string, NoteColumn>([
    [modified, "modifiedAt"],
    [created, "createdAt"],
    [name[type], "name"],
  ]);
  return orderby.split(",").map((part) => {
    const [property = "", direction = "asc", extra] = part.trim().split(/\s+/);
    const column = columns.get(property);
    if (!column)
      throw new NudgeError(
        "invalidRequest",
        `The results cannot be ordered by '${property}'; use ${[...columns.keys()].join(", ")} (asc or desc).`,
      );
    if (extra !== undefined || !/^(asc|desc)$/i.test(direction))
      throw new NudgeError(
        "invalidRequest",
        `The order '${part.trim()}' is not valid; write '${property} asc' or '${property} desc'.`,
      );
    return { column, descending: direction.toLowerCase() === "desc" };
  });
}

function parseSelect(select: string | undefined, selectable: string[]): string[] | undefined {
  if (select === undefined) return undefined;
  const fields = select
    .split(",")
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.length === 0)
    throw new NudgeError("invalidRequest", "The query option select names no property.");
  for (const field of fields) {
    if (!selectable.includes(field))
      throw new NudgeError(
        "invalidRequest",
        `The property '${field}' cannot be selected; use ${selectable.join(", ")}.`,
      );
  }
  return fields;
}
