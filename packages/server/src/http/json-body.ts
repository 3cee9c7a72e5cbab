/**
 * JSON bodies for every surface. Clients such as @pnp/sp send `content-type: application/json`
 * even on GET and DELETE with no body, and SharePoint clients add `;odata=verbose`: an empty body
 * is no body, and any `application/json…` or `…+json` type is JSON.
 */
import type { FastifyInstance } from "fastify";
import { NudgeError } from "../errors.js";

export function acceptJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  const parse = (
    _request: unknown,
    body: string | Buffer,
    done: (err: Error | null, value?: unknown) => void,
  ) => {
    const text = body.toString();
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new NudgeError("invalidJson", "The request body is not valid JSON."));
    }
  };
  app.addContentTypeParser(/^application\/([\w.+-]+\+)?json/i, { parseAs: "string" }, parse);
}
