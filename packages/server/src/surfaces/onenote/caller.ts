/**
 * What every OneNote call does for its caller, on both APIs: answer with `X-AuthenticatedUserId`
 * (the id a notification's `userId` names), and register — or renew — the user for the app's
 * webhook, because "a user is registered for an app by any API call on their behalf".
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { principalOf } from "../../http/auth.js";
import type { Services } from "../../services.js";

export const AUTHENTICATED_USER_HEADER = "X-AuthenticatedUserId";

/** An onRequest hook, to run after authentication. */
export function recordOneNoteCall(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const principal = principalOf(request);
    reply.header(AUTHENTICATED_USER_HEADER, principal.userId);
    const own = await services.resources.ensureOwn(principal, "notebook");
    await services.registrations.touch(principal, services.profiles.onenote, own);
  };
}
