/**
 * Request validation for the JSON APIs (native `/v1` and `/admin`): one Ajv for bodies that never
 * coerces (a `title` of 123 is a wrong type, not the string "123"), one for the query string and
 * path that does (everything there arrives as text), and error messages that name the field.
 * Fastify's default Ajv coerces bodies too, which would let wrong types through.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
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
    httpPart === "body"
      ? bodies.compile(schema as FastifySchema & object)
      : withDecimalIntegers(schema as TextSchema, textParts.compile(schema as FastifySchema & object)),
  );
  app.setSchemaErrorFormatter(
    (errors, dataVar) => new Error(errors.map((e) => describe(e, dataVar)).join("; ")),
  );
}

interface TextSchema {
  properties?: Record<string, { type?: unknown }>;
}

/** What an integer in a query string or path looks like: plain decimal digits, an optional minus. */
const DECIMAL_INTEGER = /^-?\d{1,15}$/;

function notDecimal(value: unknown): boolean {
  return typeof value === "string" && !DECIMAL_INTEGER.test(value);
}

/**
 * Ajv's coercion reads text as JavaScript does, so `Infinity`, `1e309`, `0x10`, `" 5"` and `1.0`
 * all become numbers, and an infinite `limit` then reaches the database. An integer in a query
 * string or path must be written as one: the raw text is checked before Ajv coerces it.
 */
function withDecimalIntegers(schema: TextSchema, validate: ValidateFunction): ValidateFunction {
  const integers = Object.entries(schema.properties ?? {})
    .filter(([, property]) => property.type === "integer")
    .map(([name]) => name);
  if (integers.length === 0) return validate;
  const checked = ((data: Record<string, unknown>) => {
    const bad = integers.find((name) => [data?.[name]].flat().some(notDecimal));
    if (bad === undefined) {
      const ok = validate(data);
      checked.errors = validate.errors;
      return ok;
    }
    checked.errors = [
      {
        keyword: "type",
        instancePath: `/${bad}`,
        schemaPath: `#/properties/${bad}/type`,
        params: { type: "integer" },
        message: "must be integer",
      },
    ];
    return false;
  }) as ValidateFunction;
  return checked;
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
