/**
 * What a page create accepts: an HTML document (`text/html` or `application/xhtml+xml`, as OneNote
 * takes it; `<title>` is the title) or, for convenience, JSON `{title, content}` with the body HTML.
 */
import type { FastifyInstance } from "fastify";
import { NudgeError } from "../../errors.js";
import type { PageParts } from "../../resources/notes/page-html.js";

export const PAGE_MEDIA_MESSAGE =
  "Send a page as text/html (a document with <title> and <body>) or as application/json {title, content}; other bodies are JSON.";

/** A posted HTML document, told apart from a JSON body that happens to have an `html` field. */
class HtmlBody {
  constructor(readonly html: string) {}
}

/** HTML bodies for this plugin scope only (JSON is parsed app-wide). */
export function acceptHtmlBodies(app: FastifyInstance): void {
  app.addContentTypeParser(
    ["text/html", "application/xhtml+xml"],
    { parseAs: "string" },
    (_request, body, done) => done(null, new HtmlBody(String(body))),
  );
}

export function pageInputOf(body: unknown): { html: string } | PageParts {
  if (body instanceof HtmlBody) {
    if (body.html.trim() === "")
      throw new NudgeError("invalidRequest", "The page is empty. " + PAGE_MEDIA_MESSAGE);
    return { html: body.html };
  }
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new NudgeError("invalidRequest", PAGE_MEDIA_MESSAGE);
  const { title = "", content = "" } = body as Record<string, unknown>;
  if (typeof title !== "string") throw new NudgeError("invalidRequest", "title must be a string.");
  if (typeof content !== "string")
    throw new NudgeError("invalidRequest", "content must be a string of HTML.");
  return { title: title.trim(), body: content };
}
