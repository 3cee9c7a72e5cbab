/**
 * Reading SharePoint request bodies: a JSON object, where `__metadata` (verbose clients) and
 * `odata.*` annotations (clients that send back what they read) are not fields. List item fields
 * hold strings, numbers, booleans or null; the server-owned fields are read-only.
 */
import { NudgeError } from "../../errors.js";

/** Fields SharePoint sets itself; a body may carry them back (a read-modify-write), they are ignored. */
const READ_ONLY_FIELDS = new Set(["Id", "ID", "GUID", "Created", "Modified", "AuthorId", "EditorId"]);

export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new NudgeError("invalidRequest", "The request body must be a JSON object.");
  }
  return Object.fromEntries(
    Object.entries(body).filter(([name]) => name !== "__metadata" && !name.startsWith("odata.")),
  );
}

/** The item fields of an add or update body. */
export function itemFieldsOf(body: unknown): Record<string, string | number | boolean | null> {
  // Collected as entries: assigning `fields["__proto__"] = …` to an object would drop the field.
  const fields: Array<[string, string | number | boolean | null]> = [];
  for (const [name, value] of Object.entries(bodyObject(body))) {
    if (READ_ONLY_FIELDS.has(name)) continue;
    // @pnp/sp unwraps a top-level `value` of an entity, so an item with such a field would not parse.
    if (name === "value" || !/^[A-Za-z_][\w]*$/.test(name)) {
      throw new NudgeError("invalidRequest", `'${name}' is not a field name this list can hold.`);
    }
    if (value !== null && !["string", "number", "boolean"].includes(typeof value)) {
      throw new NudgeError(
        "invalidRequest",
        `Field '${name}' must be a string, number, boolean or null, not ${Array.isArray(value) ? "an array" : "an object"}.`,
      );
    }
    fields.push([name, value as string | number | boolean | null]);
  }
  return Object.fromEntries(fields);
}

/** An optional string property of a body; anything else is a 400 naming the property. */
export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new NudgeError("invalidRequest", `${name} must be a string.`);
  return value;
}
