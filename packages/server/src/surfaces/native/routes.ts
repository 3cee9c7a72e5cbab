/** Native API (/v1). TODO: routes. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";

export async function registerNative(_app: FastifyInstance, _services: Services): Promise<void> {}
