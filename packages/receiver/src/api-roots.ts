/**
 * The API root of each surface on one host: where Microsoft serves it, and where Nudge serves the
 * same paths. `apiRootOf("graph", "http://127.0.0.1:8080")` is `http://127.0.0.1:8080/v1.0`, as
 * `apiRootOf("graph", "https://graph.microsoft.com")` is Graph's own v1.0 root.
 *
 * | surface         | path on the host | Microsoft host                    |
 * | --------------- | ---------------- | --------------------------------- |
 * | native          | (none)           | — (Nudge only)                    |
 * | sharepoint      | (none)           | `https://contoso.sharepoint.com`  |
 * | graph           | `/v1.0`          | `https://graph.microsoft.com`     |
 * | onenote         | `/api/v1.0`      | `https://www.onenote.com`         |
 * | onedrive-legacy | `/v1.0`          | `https://api.onedrive.com`        |
 */
import { joinUrl } from "./http/api-client.js";
import type { SurfaceName } from "./surfaces.js";

const PATHS: Record<SurfaceName, string> = {
  native: "",
  sharepoint: "",
  graph: "/v1.0",
  onenote: "/api/v1.0",
  "onedrive-legacy": "/v1.0",
};

export function apiRootOf(surface: SurfaceName, host: string): string {
  const path = PATHS[surface];
  return path ? joinUrl(host, path) : host.replace(/\/+$/, "");
}
