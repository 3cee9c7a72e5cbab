/**
 * Microsoft Graph `/v1.0`: subscriptions and drives (driveItems and delta). The `/v1.0` scope sets
 * Graph's error format and authentication once; the surface registry (surfaces/index.ts) mounts
 * the other surfaces' parts that live under `/v1.0` (OneNote, the legacy drive) in the same scope.
 */
import type { FastifyInstance } from "fastify";
import { requirePrincipal } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { registerGraphDriveRoutes } from "./drive.js";
import { useGraphErrors } from "../graph-family/errors.js";
import { registerGraphSubscriptionRoutes } from "./subscriptions.js";

export async function registerGraph(app: FastifyInstance, services: Services): Promise<void> {
  useGraphErrors(app);
  app.addHook("onRequest", requirePrincipal(services));
  await registerGraphSubscriptionRoutes(app, services);
  await registerGraphDriveRoutes(app, services);
}
