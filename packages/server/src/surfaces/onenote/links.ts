/**
 * Absolute links (`self`, `contentUrl`, `@odata.nextLink`) built from the request's scheme and host,
 * so that a client that reached Nudge over https at some host follows links back to the same place.
 */
import type { FastifyRequest } from "fastify";

export function originOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** The request's own URL with the skip option moved on (Graph spells it `$skip`, the old API `skip`). */
export function nextLinkOf(request: FastifyRequest, skipOption: "skip" | "$skip", nextSkip: number): string {
  const url = new URL(request.url, originOf(request));
  url.searchParams.delete("skip");
  url.searchParams.delete("$skip");
  url.searchParams.set(skipOption, String(nextSkip));
  // URLSearchParams writes spaces as '+'; a literal '+' is already %2B, so every '+' here is a space.
  return `${url.origin}${url.pathname}?${url.searchParams.toString().replaceAll("+", "%20")}`;
}
