/**
 * The OneNote routes, once for both APIs: each path → a notes-service call, and the result → the
 * API's spelling. Registered per family — `/me/notes` and `/users/{id}/notes` (old API),
 * `/me/onenote` and `/users/{id}/onenote` (Graph) — under the plugin's prefix.
 *
 * | path                              | GET                 | POST            | PATCH           | DELETE |
 * |-----------------------------------|---------------------|-----------------|-----------------|--------|
 * | /notebooks                        | list                | create {name}   |                 |        |
 * | /notebooks/{id}                   | get                 |                 | rename {name}   | 204    |
 * | /notebooks/{id}/sections          | list                | create {name}   |                 |        |
 * | /sections, /sections/{id}         | list, get           |                 | rename {name}   | 204    |
 * | /sections/{id}/pages              | list                | create (HTML)   |                 |        |
 * | /pages, /pages/{id}               | list, get           |                 |                 | 204    |
 * | /pages/{id}/content               | the page as HTML    |                 | commands → 204  |        |
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { principalOf } from "../../http/auth.js";
import type { NoteItem, NoteItemType, NoteParent, NotesScope } from "../../resources/notes/service.js";
import type { Services } from "../../services.js";
import { nextLinkOf, originOf } from "./links.js";
import { pageInputOf } from "./page-body.js";
import { applySelect, parseListOptions, parseSelectOption } from "./query.js";
import { selectableProperties, type NotesLinks, type NotesSpelling } from "./spelling.js";

type Params = { id: string; userId?: string };
type Request = FastifyRequest<{ Params: Params; Querystring: Record<string, unknown>; Body: unknown }>;

export interface NotesFamily {
  /** Below the plugin prefix: `/me/notes`, `/users/:userId/notes`, `/me/onenote`, `/users/:userId/onenote`. */
  path: string;
  spelling: NotesSpelling;
}

export function registerNotesFamily(app: FastifyInstance, services: Services, family: NotesFamily): void {
  const { spelling } = family;
  const notes = services.notes;
  const selectable = {
    notebook: selectableProperties(spelling, "notebook"),
    section: selectableProperties(spelling, "section"),
    page: selectableProperties(spelling, "page"),
  };
  const prefix = app.prefix;

  const scopeOf = (request: Request): Promise<NotesScope> =>
    notes.scope(principalOf(request), request.params.userId);

  const linksOf = (request: Request): NotesLinks => {
    const path = family.path.replace(":userId", encodeURIComponent(request.params.userId ?? ""));
    const origin = originOf(request);
    return { origin, root: `${origin}${prefix}${path}`, callerId: principalOf(request).userId };
  };

  const one = (request: Request, reply: FastifyReply, item: NoteItem, status = 200) => {
    const links = linksOf(request);
    // `select` shapes reads only: a write must never be refused after it has been stored.
    const select =
      request.method === "GET" ? parseSelectOption(request.query, selectable[item.type]) : undefined;
    return reply.code(status).send({
      "@odata.context": spelling.context(links, item.type, true),
      ...applySelect(spelling.render(item, links), select),
    });
  };

  const list =
    (type: NoteItemType, parentType?: NoteParent["type"]) =>
    async (request: Request, reply: FastifyReply) => {
      const { query, select } = parseListOptions(request.query, type, spelling, selectable[type]);
      const parent = parentType && { type: parentType, id: request.params.id };
      const page = await notes.list(await scopeOf(request), type, query, parent);
      const links = linksOf(request);
      return reply.send({
        "@odata.context": spelling.context(links, type, false),
        value: page.items.map((item) => applySelect(spelling.render(item, links), select)),
        ...(page.more && {
          "@odata.nextLink": nextLinkOf(request, spelling.skipOption, query.skip + query.top),
        }),
      });
    };

  const get = (type: NoteItemType) => async (request: Request, reply: FastifyReply) =>
    one(request, reply, await notes.get(await scopeOf(request), type, request.params.id));

  const rename = (type: "notebook" | "section") => async (request: Request, reply: FastifyReply) => {
    const field = spelling.properties.name[type];
    const item = await notes.rename(
      await scopeOf(request),
      type,
      request.params.id,
      fieldOf(request.body, field),
      field,
    );
    return one(request, reply, item);
  };

  const remove = (type: NoteItemType) => async (request: Request, reply: FastifyReply) => {
    await notes.delete(await scopeOf(request), type, request.params.id);
    return reply.code(204).send();
  };

  const path = (rest: string) => `${family.path}${rest}`;
  const hidden = { schema: { hide: true } };

  app.get(path("/notebooks"), hidden, list("notebook"));
  app.post(path("/notebooks"), hidden, async (request: Request, reply) => {
    const field = spelling.properties.name.notebook;
    return one(
      request,
      reply,
      await notes.createNotebook(await scopeOf(request), fieldOf(request.body, field), field),
      201,
    );
  });
  app.get(path("/notebooks/:id"), hidden, get("notebook"));
  app.patch(path("/notebooks/:id"), hidden, rename("notebook"));
  app.delete(path("/notebooks/:id"), hidden, remove("notebook"));
  app.get(path("/notebooks/:id/sections"), hidden, list("section", "notebook"));
  app.post(path("/notebooks/:id/sections"), hidden, async (request: Request, reply) => {
    const field = spelling.properties.name.section;
    const scope = await scopeOf(request);
    return one(
      request,
      reply,
      await notes.createSection(scope, request.params.id, fieldOf(request.body, field), field),
      201,
    );
  });

  app.get(path("/sections"), hidden, list("section"));
  app.get(path("/sections/:id"), hidden, get("section"));
  app.patch(path("/sections/:id"), hidden, rename("section"));
  app.delete(path("/sections/:id"), hidden, remove("section"));
  app.get(path("/sections/:id/pages"), hidden, list("page", "section"));
  app.post(path("/sections/:id/pages"), hidden, async (request: Request, reply) => {
    const input = pageInputOf(request.body);
    return one(request, reply, await notes.createPage(await scopeOf(request), request.params.id, input), 201);
  });

  app.get(path("/pages"), hidden, list("page"));
  app.get(path("/pages/:id"), hidden, get("page"));
  app.delete(path("/pages/:id"), hidden, remove("page"));
  app.get(path("/pages/:id/content"), hidden, async (request: Request, reply) => {
    const html = await notes.pageContent(await scopeOf(request), request.params.id);
    return reply.type("text/html; charset=utf-8").send(html);
  });
  app.patch(path("/pages/:id/content"), hidden, async (request: Request, reply) => {
    await notes.patchPage(await scopeOf(request), request.params.id, request.body);
    return reply.code(204).send();
  });
}

/** A body's field, or undefined when there is no JSON object (the service then names the field). */
function fieldOf(body: unknown, field: string): unknown {
  return body && typeof body === "object" && !Array.isArray(body)
    ? (body as Record<string, unknown>)[field]
    : undefined;
}
