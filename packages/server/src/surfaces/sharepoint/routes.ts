/** SharePoint REST surface. TODO: routes. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";

export async function registerSharePoint(_app: FastifyInstance, _services: Services): Promise<void> {}
