/** Bearer-token authentication: every surface route but health and the OpenAPI document needs one. */
import type { FastifyRequest } from "fastify";
import type { Principal } from "../identity/principal.js";
import type { Services } from "../services.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** A preHandler that sets request.principal or throws `unauthenticated` (401). */
export function requirePrincipal(services: Services) {
  return async (request: FastifyRequest): Promise<void> => {
    request.principal = await services.identity.authenticate(bearerToken(request));
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error("route has no authentication hook");
  return request.principal;
}
