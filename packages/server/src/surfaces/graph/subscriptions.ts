/** Graph subscriptions, `/v1.0/subscriptions`. TODO. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";

export async function registerGraphSubscriptionRoutes(_app: FastifyInstance, _services: Services): Promise<void> {}
