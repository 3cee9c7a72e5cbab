/**
 * The native API, `/v1`: external resources, reported changes and their feed, subscriptions, and
 * the delivery record. Every route needs a bearer token and has a JSON schema (so the OpenAPI
 * document at /openapi.json describes it); errors are `{"error":{"code","message"}}`.
 */
import type { FastifyInstance } from "fastify";
import { requirePrincipal } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { registerChangeRoutes } from "./changes.js";
import { registerDeliveryRoutes } from "./deliveries.js";
import { useNativeErrors } from "./errors.js";
import { registerResourceRoutes } from "./resources.js";
import { registerSubscriptionRoutes } from "./subscriptions.js";
import { useStrictValidation } from "../../http/validation.js";

export async function registerNative(app: FastifyInstance, services: Services): Promise<void> {
  useNativeErrors(app);
  useStrictValidation(app);
  // On request, before the body is read: an anonymous caller gets 401 and nothing is parsed for it.
  app.addHook("onRequest", requirePrincipal(services));
  registerResourceRoutes(app, services);
  registerChangeRoutes(app, services);
  registerSubscriptionRoutes(app, services);
  registerDeliveryRoutes(app, services);
}
