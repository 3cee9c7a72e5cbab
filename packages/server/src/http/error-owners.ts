/**
 * Which surface owns a path, and so which error format an answer on it takes. The one place that
 * decides it for answers no route's own error handler gives: the router's errors (bad
 * percent-encoding, an overlong segment), a path no route matches, and requests the HTTP parser
 * rejected before Fastify saw them. A client of a surface reads its errors only in that surface's
 * format, whatever went wrong; a path no surface owns gets the native format.
 *
 * | path                                               | surface     | format          |
 * | -------------------------------------------------- | ----------- | --------------- |
 * | `/v1.0/me/onenote…`, `/v1.0/users/{id}/onenote…`   | OneNote     | Graph           |
 * | `/v1.0…`                                           | Graph       | Graph           |
 * | `/api/v1.0…`                                       | OneNote     | Graph           |
 * | `/drive…`                                          | OneDrive    | Graph           |
 * | `/_api…`, `/sites/{name}/_api…`                    | SharePoint  | `odata.error`   |
 * | `/v1…`, `/admin…`, anything else                   | native      | native          |
 */
import type { ErrorRenderer } from "./error-answer.js";
import { graphErrorAnswer } from "../surfaces/graph/errors.js";
import { nativeErrorAnswer } from "../surfaces/native/errors.js";
import { sharePointErrorAnswer } from "../surfaces/sharepoint/error-format.js";

type Surface = "native" | "graph" | "onenote" | "onedrive" | "sharepoint";

const graph: ErrorRenderer = (error) => graphErrorAnswer(error);

const renderers: Record<Surface, ErrorRenderer> = {
  native: nativeErrorAnswer,
  graph,
  // OneNote and the legacy OneDrive API shared Graph's error format.
  onenote: graph,
  onedrive: graph,
  sharepoint: sharePointErrorAnswer,
};

/**
 * Prefixes, first match wins (OneNote inside `/v1.0` before Graph). Each ends at a segment
 * boundary, so `/v1.0` is not `/v1` and `/drivers` is not `/drive`; case-insensitive like the
 * router.
 */
const owners: ReadonlyArray<readonly [RegExp, Surface]> = [
  [/^\/v1\.0\/(me|users\/[^/]*)\/onenote(\/|$)/i, "onenote"],
  [/^\/v1\.0(\/|$)/i, "graph"],
  [/^\/api\/v1\.0(\/|$)/i, "onenote"],
  [/^\/drive(\/|$)/i, "onedrive"],
  [/^(\/sites\/[^/]*)?\/_api(\/|$)/i, "sharepoint"],
];

/** The error format of the surface that owns a request target (a path, with or without its query). */
export function errorRendererFor(target: string): ErrorRenderer {
  const path = target.split("?")[0]!;
  return renderers[owners.find(([prefix]) => prefix.test(path))?.[1] ?? "native"];
}
