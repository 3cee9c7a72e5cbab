/** Pieces the route schemas of `/v1` and `/admin` share: path ids, page sizes, error responses. */
import { errorSchema } from "./errors.js";

/** `{id}` in the path. */
export const idParams = {
  type: "object",
  properties: { id: { type: "string", minLength: 1 } },
  required: ["id"],
} as const;

/** `?limit=` on lists: 1 to 1000, 100 when absent. */
export const limitProperty = { type: "integer", minimum: 1, maximum: 1000, default: 100 } as const;

/** The error responses a route can give, by status, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorSchema> {
  return Object.fromEntries([400, 401, ...statuses].map((status) => [status, errorSchema]));
}
