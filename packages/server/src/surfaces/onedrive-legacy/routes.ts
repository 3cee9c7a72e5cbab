/**
 * The legacy OneDrive API at `/drive/...` (api.onedrive.com's paths): its own plugin scope, so it
 * sets Graph's error format (which the old API shared) and bearer-token authentication itself.
 * The routes are the legacy table (handlers.ts) over the same drive service as Graph's.
 */
import type { FastifyInstance } from "fastify";
import { requirePrincipal } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { registerDriveRoutes } from "../graph/drive-wire.js";
import { useGraphErrors } from "../graph/errors.js";
import { legacyDriveTable } from "./handlers.js";

export async function registerLegacyOneDrive(app: FastifyInstance, services: Services): Promise<void> {
  useGraphErrors(app);
  app.addHook("onRequest", requirePrincipal(services));
  await registerDriveRoutes(app, services, [{ url: "", ref: () => ({ me: true }) }], legacyDriveTable);
}
