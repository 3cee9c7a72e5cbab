/**
 * Microsoft Graph `/v1.0`: subscriptions, drives (driveItems and delta) and OneNote. One plugin
 * scope so the error format and authentication are set once; each part registers its routes here.
 */
import type { FastifyInstance } from "fastify";
import { requirePrincipal } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { registerGraphOneNoteRoutes } from "../onenote/graph-routes.js";
import { registerGraphDriveRoutes } from "./drive.js";
import { useGraphErrors } from "./errors.js";
import { registerGraphSubscriptionRoutes } from "./subscriptions.js";

export async function registerGraph(app: FastifyInstance, services: Services): Promise<void> {
  useGraphErrors(app);
  app.addHook("onRequest", requirePrincipal(services));
  await registerGraphSubscriptionRoutes(app, services);
  await registerGraphDriveRoutes(app, services);
  await registerGraphOneNoteRoutes(app, services);
}
