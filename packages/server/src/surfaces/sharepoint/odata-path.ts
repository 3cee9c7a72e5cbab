/**
 * The syntax of an OData resource path as SharePoint clients write it: segments separated by `/`,
 * each a name with an optional argument in parentheses — `lists('id')`, `lists(guid'id')`,
 * `items(5)`, `getByTitle('Bob''s list')`. Fastify's router cannot match these, so the SharePoint
 * routes take the whole path after `/_api/` and read it here. Names are lower-cased (SharePoint
 * segments are case-insensitive); arguments keep their case.
 */

export interface ODataSegment {
  /** The segment name, lower case: `lists`, `getbytitle`, `items`. */
  name: string;
  /** The argument inside the parentheses, unquoted; undefined when there are no parentheses. */
  argument?: string | number;
}

/**
 * Reads a raw (still percent-encoded) path such as `web/lists('a%20b')/items(5)`. Returns null
 * when the path is not well-formed, which the routes answer with 404 like any unknown path.
 */
export function parseODataPath(rawPath: string): ODataSegment[] | null {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  const segments: ODataSegment[] = [];
  for (const text of splitOutsideQuotes(path.replace(/^\/+|\/+$/g, ""))) {
    if (text === "") continue;
    const segment = parseSegment(text);
    if (!segment) return null;
    segments.push(segment);
  }
  return segments;
}

/** Splits on `/` except inside a quoted literal, where a `/` is part of the value (a list title). */
function splitOutsideQuotes(path: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (const char of path) {
    // A doubled apostrophe inside a literal toggles twice, which leaves the state as it was.
    if (char === "'") quoted = !quoted;
    if (char === "/" && !quoted) {
      parts.push(current);
      current = "";
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

const SEGMENT = /^([A-Za-z_$][\w.$]*)(?:\((.*)\))?$/s;

function parseSegment(text: string): ODataSegment | null {
  const match = SEGMENT.exec(text);
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  const raw = match[2];
  if (raw === undefined) return { name };
  const argument = parseArgument(raw.trim());
  return argument === null ? null : { name, argument };
}

/** `'text'` (with `''` for an apostrophe), `guid'…'`, an integer, or nothing: `items()`. */
function parseArgument(raw: string): string | number | undefined | null {
  if (raw === "") return undefined;
  const literal = /^(?:guid)?'((?:[^']|'')*)'$/is.exec(raw);
  if (literal) return literal[1]!.replace(/''/g, "'");
  if (/^-?\d+$/.test(raw)) return Number(raw);
  return null;
}
