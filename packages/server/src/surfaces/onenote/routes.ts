/**
 * The OneNote API as it was before Graph, under `/api/v1.0`: `/me/notes/...` (the caller's notebooks
 * and those shared with them) and `/users/{id}/notes/...` (one user's, if shared with the caller).
 * Query options without `$`; errors in Graph's `{"error":{"code","message"}}` shape; every answer but
 * a 401 carries `X-AuthenticatedUserId`.
 */
import type { FastifyInstance } from "fastify";
import { NudgeError } from "../../errors.js";
import { requirePrincipal } from "../../http/auth.js";
import { pathOf } from "../../http/error-format.js";
import type { Services } from "../../services.js";
import { useStrictValidation } from "../../http/validation.js";
import { useGraphErrors } from "../graph-family/errors.js";
import { recordOneNoteCall } from "./caller.js";
import { registerNotesFamily } from "./notes-routes.js";
import { acceptHtmlBodies, PAGE_MEDIA_MESSAGE } from "./page-body.js";
import { oneNoteSpelling } from "./spelling.js";

export async function registerOneNote(app: FastifyInstance, services: Services): Promise<void> {
  useStrictValidation(app);
  acceptHtmlBodies(app);
  // Hooks before the not-found handler, so a 404 is authenticated and carries the header too.
  app.addHook("onRequest", requirePrincipal(services));
  app.addHook("onRequest", recordOneNoteCall(services));
  useGraphErrors(app, {
    reword: (error) =>
      error.code === "unsupportedMediaType"
        ? new NudgeError("unsupportedMediaType", PAGE_MEDIA_MESSAGE)
        : error,
    notFound: (request) => new NudgeError("notFound", `No OneNote API at '${pathOf(request.url)}'.`),
  });
  registerNotesFamily(app, services, { path: "/me/notes", spelling: oneNoteSpelling });
  registerNotesFamily(app, services, { path: "/users/:userId/notes", spelling: oneNoteSpelling });
}
