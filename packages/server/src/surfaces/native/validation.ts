/**
 * Request validation for the JSON APIs (native `/v1` and `/admin`): one Ajv for bodies that never
 * coerces (a `title` of 123 is a wrong type, not the string "123"), one for the query string and
 * path that does (everything there arrives as text), and error messages that name the field.
 * Fastify's default Ajv coerces bodies too, which would let wrong types through.
 */
import { Ajv, type ErrorObject } from "ajv";
import type { FastifyInstance, FastifySchema } from "fastify";

const common = {
  useDefaults: true,
  allErrors: false,
  allowUnionTypes: true,
  removeAdditional: false,
} as const;
const bodies = new Ajv({ ...common, coerceTypes: false });
const textParts = new Ajv({ ...common, coerceTypes: "array" });

/**
 * Installs the validators and the field-naming error formatter on a plugin scope, and leaves JSON
 * as the only body type there (a text/plain body is a 415, not a string that fails the schema).
 */
export function useStrictValidation(app: FastifyInstance): void {
  app.removeContentTypeParser("text/plain");
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === "body" ? bodies : textParts).compile(schema as FastifySchema & object),
  );
  app.setSchemaErrorFormatter(
    (errors, dataVar) => new Error(errors.map((e) => describe(e, dataVar)).join("; ")),
  );
}

/** `changes[3].kind must be one of "add", "update"…` rather than Ajv's `/changes/3/kind must be equal to…`. */
function describe(error: ErrorObject, dataVar: string): string {
  const where = fieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${join(where, String(params.missingProperty))} is required`;
    case "additionalProperties":
      return `${join(where, String(params.additionalProperty))} is not a known field`;
    case "enum":
      return `${where || dataVar} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "type":
      return `${where || dataVar} must be of type ${String(params.type).replace(",", " or ")}`;
    default:
      return `${where || dataVar} ${error.message ?? "is not valid"}`;
  }
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : join(path, part)), "");
}

function join(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}
