/** The OneNote API, `/api/v1.0/me/notes/...`. TODO. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";

export async function registerOneNote(_app: FastifyInstance, _services: Services): Promise<void> {}
