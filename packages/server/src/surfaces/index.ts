/**
 * The surface registry: every surface once, with where it is mounted, which paths it owns and its
 * error format. The app factory mounts them from this list, and answers given outside any route
 * (router errors, unmatched paths, requests the HTTP parser rejected) take the format of the
 * surface that owns the path, as a client of that surface reads only its own errors.
 *
 * | mount        | surface                                   | owns                                  | errors        |
 * | ------------ | ----------------------------------------- | ------------------------------------- | ------------- |
 * | `/admin`     | admin API                                 | `/admin…`                             | native        |
 * | `/v1`        | native API                                | `/v1…`                                | native        |
 * | `/v1.0`      | Graph (+ OneNote's and the legacy drive's parts under `/v1.0`) | `/v1.0…`         | Graph         |
 * | `/api/v1.0`  | OneNote (old API)                         | `/api/v1.0…`                          | Graph         |
 * | `/drive`     | legacy OneDrive                           | `/drive…`                             | Graph         |
 * | (root)       | SharePoint                                | `/_api…`, `/sites/{name}/_api…`       | `odata.error` |
 *
 * Anything no surface owns is answered in the native format.
 */
import type { FastifyInstance } from "fastify";
import type { ErrorRenderer } from "../http/error-answer.js";
import type { Services } from "../services.js";
import { registerAdmin } from "./admin/routes.js";
import { registerGraph } from "./graph/routes.js";
import { graphErrorAnswer } from "./graph-family/errors.js";
import { nativeErrorAnswer } from "./native/errors.js";
import { registerNative } from "./native/routes.js";
import { registerLegacyDriveRoutes, registerLegacyOneDrive } from "./onedrive-legacy/routes.js";
import { registerGraphOneNoteRoutes } from "./onenote/graph-routes.js";
import { registerOneNote } from "./onenote/routes.js";
import { sharePointErrorAnswer } from "./sharepoint/error-format.js";
import { registerSharePoint } from "./sharepoint/routes.js";

export interface SurfaceMount {
  name: string;
  /** The plugin prefix; "" mounts at the root (SharePoint's paths start with a site). */
  prefix: string;
  /** The paths this surface owns, matched case-insensitively at segment boundaries. */
  owns: RegExp;
  errors: ErrorRenderer;
  register(app: FastifyInstance, services: Services): Promise<void>;
}

const graphErrors: ErrorRenderer = (error) => graphErrorAnswer(error);

export const surfaces: readonly SurfaceMount[] = [
  {
    name: "admin",
    prefix: "/admin",
    owns: /^\/admin(\/|$)/i,
    errors: nativeErrorAnswer,
    register: registerAdmin,
  },
  {
    name: "native",
    prefix: "/v1",
    owns: /^\/v1(\/|$)/i,
    errors: nativeErrorAnswer,
    register: registerNative,
  },
  {
    name: "graph",
    prefix: "/v1.0",
    owns: /^\/v1\.0(\/|$)/i,
    errors: graphErrors,
    async register(app, services) {
      await registerGraph(app, services);
      await registerLegacyDriveRoutes(app, services, "/drive");
      await registerGraphOneNoteRoutes(app, services);
    },
  },
  {
    name: "onenote",
    prefix: "/api/v1.0",
    owns: /^\/api\/v1\.0(\/|$)/i,
    errors: graphErrors,
    register: registerOneNote,
  },
  {
    name: "onedrive-legacy",
    prefix: "/drive",
    owns: /^\/drive(\/|$)/i,
    errors: graphErrors,
    register: registerLegacyOneDrive,
  },
  {
    name: "sharepoint",
    prefix: "",
    owns: /^(\/sites\/[^/]*)?\/_api(\/|$)/i,
    errors: sharePointErrorAnswer,
    register: registerSharePoint,
  },
];

/** The error format of the surface that owns a request target (a path, with or without its query). */
export function errorRendererFor(target: string): ErrorRenderer {
  const path = target.split("?")[0]!;
  return surfaces.find((surface) => surface.owns.test(path))?.errors ?? nativeErrorAnswer;
}
