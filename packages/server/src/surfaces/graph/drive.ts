/** Graph drives: driveItems and delta under `/v1.0/me/drive`, `/v1.0/drives/{id}`, `/v1.0/users/{id}/drive`. TODO. */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";

export async function registerGraphDriveRoutes(_app: FastifyInstance, _services: Services): Promise<void> {}
