/**
 * The three JSON shapes SharePoint answers in, chosen by the request's `Accept` header:
 *
 * | Accept                                        | entity                                   | collection                          |
 * | --------------------------------------------- | ---------------------------------------- | ----------------------------------- |
 * | `application/json;odata=nometadata`           | the fields                               | `{"value":[…]}`                     |
 * | `application/json` or `…;odata=minimalmetadata` | `odata.metadata`, `odata.type`, `odata.id`, `odata.editLink` + fields | `{"odata.metadata":…,"value":[…]}` |
 * | `application/json;odata=verbose`              | `{"d":{"__metadata":{id,uri,type},…}}`   | `{"d":{"results":[…]}}`             |
 *
 * @pnp/sp unwraps `d.results`, then `d`, then a top-level `value`, so every shape parses there —
 * which is also why no entity may have a field called `value`.
 */
import { NudgeError } from "../../errors.js";

export type ODataShape = "nometadata" | "minimalmetadata" | "verbose";

export function shapeOf(accept: string | undefined): ODataShape {
  const text = (accept ?? "").toLowerCase();
  if (text.includes("odata=verbose")) return "verbose";
  if (text.includes("odata=nometadata")) return "nometadata";
  return "minimalmetadata";
}

export function contentTypeOf(shape: ODataShape): string {
  return shape === "verbose"
    ? "application/json;odata=verbose;charset=utf-8"
    : `application/json;odata=${shape};streaming=true;charset=utf-8`;
}

/** Where an entity lives: its OData type and its path below the service root (`…/_api/`). */
export interface EntityMeta {
  type: string;
  /** e.g. `Web/Lists(guid'…')/Items(5)`. */
  path: string;
  /** Quoted etag (`"3"`), for entities that have versions. */
  etag?: string;
}

export interface Entity {
  meta: EntityMeta;
  fields: Record<string, unknown>;
}

/** The absolute URL of a site's service root, ending in `/_api/`. */
export type ServiceRoot = string;

export function entityBody(shape: ODataShape, root: ServiceRoot, set: string, entity: Entity): unknown {
  switch (shape) {
    case "nometadata":
      return entity.fields;
    case "minimalmetadata":
      return { "odata.metadata": `${root}$metadata#${set}/@Element`, ...minimalEntry(root, entity) };
    case "verbose":
      return { d: verboseEntry(root, entity) };
  }
}

export function collectionBody(
  shape: ODataShape,
  root: ServiceRoot,
  set: string,
  entities: Entity[],
): unknown {
  switch (shape) {
    case "nometadata":
      return { value: entities.map((e) => e.fields) };
    case "minimalmetadata":
      return {
        "odata.metadata": `${root}$metadata#${set}`,
        value: entities.map((e) => minimalEntry(root, e)),
      };
    case "verbose":
      return { d: { results: entities.map((e) => verboseEntry(root, e)) } };
  }
}

/** A complex (non-entity) value such as `SP.ChangeToken`: verbose names its type, the others do not. */
export function complexValue(
  shape: ODataShape,
  type: string,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return shape === "verbose" ? { __metadata: { type }, ...fields } : fields;
}

/** Applies `$select` (comma-separated, case-insensitive field names); no `$select` keeps every field. */
export function selectFields(
  fields: Record<string, unknown>,
  select: string | null,
): Record<string, unknown> {
  if (!select) return fields;
  const wanted = new Set(select.split(",").map((name) => name.trim().toLowerCase()));
  return Object.fromEntries(Object.entries(fields).filter(([name]) => wanted.has(name.toLowerCase())));
}

function minimalEntry(root: ServiceRoot, { meta, fields }: Entity): Record<string, unknown> {
  return {
    "odata.type": meta.type,
    "odata.id": root + meta.path,
    ...(meta.etag !== undefined && { "odata.etag": meta.etag }),
    "odata.editLink": meta.path,
    ...fields,
  };
}

function verboseEntry(root: ServiceRoot, { meta, fields }: Entity): Record<string, unknown> {
  const url = root + meta.path;
  return {
    __metadata: { id: url, uri: url, ...(meta.etag !== undefined && { etag: meta.etag }), type: meta.type },
    ...fields,
  };
}

/** Applies `$top` (a non-negative integer); anything else is a 400 naming the option. */
export function takeTop<T>(entries: T[], top: string | null): T[] {
  if (top === null) return entries;
  if (!/^\d+$/.test(top))
    throw new NudgeError("invalidRequest", `$top must be a non-negative integer, not '${top}'.`);
  return entries.slice(0, Number(top));
}
