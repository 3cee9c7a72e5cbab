/** Admin API (/admin/*), guarded by NUDGE_ADMIN_TOKEN. TODO: routes. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../services.js";

export async function registerAdmin(_app: FastifyInstance, _services: Services): Promise<void> {}
