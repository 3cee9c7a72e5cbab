/** Bearer-token authentication: every surface route but health and the OpenAPI document needs one. */
import type { FastifyRequest } from "fastify";
import type { Principal } from "../identity/principal.js";
import type { Services } from "../services.js";

declare module "fastify" {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * RFC 6750 §2.1: `credentials = "Bearer" 1*SP b64token`, where b64token is
 * `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`; the scheme is case-insensitive
 * (RFC 9110 §11.1). Nothing else is a bearer credential: no tab, no whitespace around it (HTTP has
 * already dropped the whitespace around the field value), no second credential, no trailing text.
 */
const BEARER_CREDENTIALS = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none in that exact form. */
export function bearerToken(request: Pick<FastifyRequest, "headers">): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  return BEARER_CREDENTIALS.exec(header)?.[1];
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
