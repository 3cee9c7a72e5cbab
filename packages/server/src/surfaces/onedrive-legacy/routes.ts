/** The legacy OneDrive API, `/drive/...` (`view.delta`). TODO. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";

export async function registerLegacyOneDrive(_app: FastifyInstance, _services: Services): Promise<void> {}
