/** OneNote through Graph, `/v1.0/me/onenote/...`. TODO. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";

export async function registerGraphOneNoteRoutes(_app: FastifyInstance, _services: Services): Promise<void> {}
