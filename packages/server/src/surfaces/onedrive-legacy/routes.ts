/**
 * The legacy OneDrive API at `/drive/...` (api.onedrive.com's paths): its own plugin scope, so it
 * sets Graph's error format (which the old API shared) and bearer-token authentication itself.
 * The routes are the legacy table (handlers.ts) over the same drive service as Graph's.
 */
import type { FastifyInstance } from "fastify";
import { requirePrincipal } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { registerDriveRoutes } from "../graph-family/drive-wire.js";
import { useGraphErrors } from "../graph-family/errors.js";
import { legacyDriveTable } from "./handlers.js";

export async function registerLegacyOneDrive(app: FastifyInstance, services: Services): Promise<void> {
  useGraphErrors(app);
  app.addHook("onRequest", requirePrincipal(services));
  await registerLegacyDriveRoutes(app, services, "");
}

/**
 * The legacy table at `base` of a scope that has set its errors and authentication: `` under
 * `/drive`, and `/drive` under Graph's `/v1.0` (api.onedrive.com's base URL was `/v1.0`).
 */
export async function registerLegacyDriveRoutes(
  app: FastifyInstance,
  services: Services,
  base: string,
): Promise<void> {
  await registerDriveRoutes(app, services, [{ url: base, ref: () => ({ me: true }) }], legacyDriveTable);
}
