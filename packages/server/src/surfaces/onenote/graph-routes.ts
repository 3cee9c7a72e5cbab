/**
 * OneNote through Microsoft Graph: `/v1.0/me/onenote/...` and `/v1.0/users/{id}/onenote/...`, inside
 * the Graph plugin (which authenticates and renders errors). Graph spellings: `displayName`,
 * `createdDateTime`, `lastModifiedDateTime`, `$filter`, `$orderby`, `$top`, `$skip`, `$select`.
 */
import type { FastifyInstance } from "fastify";
import type { Services } from "../../services.js";
import { recordOneNoteCall } from "./caller.js";
import { registerNotesFamily } from "./notes-routes.js";
import { acceptHtmlBodies } from "./page-body.js";
import { graphSpelling } from "./spelling.js";

export async function registerGraphOneNoteRoutes(app: FastifyInstance, services: Services): Promise<void> {
  // A child scope: the HTML parser and the caller hook are for the OneNote routes only.
  await app.register(async (onenote) => {
    acceptHtmlBodies(onenote);
    onenote.addHook("onRequest", recordOneNoteCall(services));
    registerNotesFamily(onenote, services, { path: "/me/onenote", spelling: graphSpelling });
    registerNotesFamily(onenote, services, { path: "/users/:userId/onenote", spelling: graphSpelling });
  });
}
