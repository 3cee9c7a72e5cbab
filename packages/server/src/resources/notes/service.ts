/**
 * OneNote notebooks → sections → pages over a user's notebook container. Every write goes through
 * `ItemService.change`, so the item, its journal entries and the pending marks commit together: a
 * change at any level is a change of the owner's container, and notifies the owner's apps whoever
 * made it. A page's lastModifiedTime moves on each change to it, and its section's and notebook's
 * move with it (they contain the change).
 *
 * Longer than 250 lines: one method per OneNote verb on three levels (notebook, section, page),
 * each a few lines over the repository; the page parsing and patching are in page-html.ts and
 * page-patch.ts beside it.
 */
import { randomUUID } from "node:crypto";
import type { ServiceContext } from "../../context.js";
import { NudgeError } from "../../errors.js";
import type { Principal } from "../../identity/principal.js";
import type { IdentityService } from "../../identity/service.js";
import type { ChangeKind } from "../../store/repositories/journal.js";
import * as repo from "../../store/repositories/notes-items.js";
import type { ResourceRecord } from "../../store/repositories/resources.js";
import type { Executor } from "../../store/repositories/types.js";
import type { ItemService } from "../items.js";
import type { ResourceService } from "../service.js";
import { checkName } from "./names.js";
import { parsePageHtml, renderPageHtml, type PageParts } from "./page-html.js";
import { applyPatch, parsePatchCommands } from "./page-patch.js";
import type { NoteItem, NoteItemType, NotePage, NoteParent, NoteQuery, NotesScope } from "./types.js";

export type * from "./types.js";
export { parsePageHtml } from "./page-html.js";

export class NotesService {
  // The collaborators hold no state of their own, so fresh ones over the same context are the same services.
  private readonly resources: ResourceService;
  private readonly items: ItemService;
  private readonly identity: IdentityService;

  constructor(
    private readonly ctx: ServiceContext,
    using: { resources: ResourceService; items: ItemService; identity: IdentityService },
  ) {
    this.resources = using.resources;
    this.items = using.items;
    this.identity = using.identity;
  }

  /** `/me/...`: the caller's notebooks and those shared with them; `/users/{id}/...`: that user's. */
  async scope(principal: Principal, userId?: string): Promise<NotesScope> {
    if (userId !== undefined) {
      const theirs = await this.resources.containerOf(principal, userId, "notebook");
      return { principal, home: theirs, containers: [theirs] };
    }
    const home = await this.resources.ensureOwn(principal, "notebook");
    const shared = (await this.resources.list(principal, { kind: "notebook" })).filter(
      (r) => r.ownerId !== principal.userId,
    );
    return { principal, home, containers: [home, ...shared] };
  }

  async get(scope: NotesScope, type: NoteItemType, id: string): Promise<NoteItem> {
    const record = await repo.findNoteItem(this.ctx.db, containerIds(scope), type, id);
    if (!record) throw notFound(type, id);
    return withOwner(scope, record);
  }

  /** Items of a type, everywhere in the scope or under one parent, as the query asks. */
  async list(
    scope: NotesScope,
    type: NoteItemType,
    query: NoteQuery,
    parent?: NoteParent,
  ): Promise<NotePage> {
    let ids = containerIds(scope);
    if (parent) ids = [(await this.get(scope, parent.type, parent.id)).containerId];
    const records = await repo.queryNoteItems(this.ctx.db, {
      containerIds: ids,
      type,
      ...(parent && { parentId: parent.id }),
      where: query.where,
      orderBy: query.orderBy,
      limit: query.top + 1,
      offset: query.skip,
    });
    return {
      items: records.slice(0, query.top).map((r) => withOwner(scope, r)),
      more: records.length > query.top,
    };
  }

  async createNotebook(scope: NotesScope, name: unknown, field = "name"): Promise<NoteItem> {
    const checked = checkName("notebook", name, field);
    return this.create(
      scope,
      scope.home,
      { type: "notebook", name: checked, parentId: null, content: null },
      [],
    );
  }

  async createSection(
    scope: NotesScope,
    notebookId: string,
    name: unknown,
    field = "name",
  ): Promise<NoteItem> {
    const checked = checkName("section", name, field);
    const notebook = await this.get(scope, "notebook", notebookId);
    return this.create(
      scope,
      containerOf(scope, notebook),
      {
        type: "section",
        name: checked,
        parentId: notebook.id,
        content: null,
      },
      [notebook.id],
    );
  }

  /** A page from a posted HTML document (`<title>` and `<body>`), or from a title and body HTML. */
  async createPage(
    scope: NotesScope,
    sectionId: string,
    input: { html: string } | PageParts,
  ): Promise<NoteItem> {
    const page = "html" in input ? parsePageHtml(input.html) : input;
    const section = await this.get(scope, "section", sectionId);
    return this.create(
      scope,
      containerOf(scope, section),
      {
        type: "page",
        name: page.title,
        parentId: section.id,
        content: page.body,
      },
      [section.id, ...(section.parentId ? [section.parentId] : [])],
    );
  }

  async rename(
    scope: NotesScope,
    type: "notebook" | "section",
    id: string,
    name: unknown,
    field = "name",
  ): Promise<NoteItem> {
    const checked = checkName(type, name, field);
    const item = await this.get(scope, type, id);
    const container = containerOf(scope, item);
    await this.items.change(container, scope.principal.userId, async (trx, now) => {
      await this.checkFree(trx, container, type, item.parentId, checked, item.id);
      await repo.updateNoteItem(trx, {
        containerId: container.id,
        id: item.id,
        name: checked,
        modifiedAt: now,
        modifiedBy: scope.principal.userId,
      });
      await repo.touchNoteItems(trx, container.id, ancestorsOf(item), now);
      return { result: undefined, changes: [{ item: item.id, kind: "rename" }] };
    });
    return this.get(scope, type, id);
  }

  /** Deletes an item with everything under it (a notebook's sections and their pages). */
  async delete(scope: NotesScope, type: NoteItemType, id: string): Promise<void> {
    const item = await this.get(scope, type, id);
    const container = containerOf(scope, item);
    await this.items.change(container, scope.principal.userId, async (trx, now) => {
      const doomed = [item.id];
      for (let level = [item.id]; level.length > 0;) {
        level = await repo.listNoteChildIds(trx, container.id, level);
        doomed.push(...level);
      }
      await repo.deleteNoteItems(trx, container.id, doomed);
      await repo.touchNoteItems(trx, container.id, ancestorsOf(item), now);
      // Deepest first, so a change feed reads pages gone, then sections, then the notebook.
      const changes = doomed.reverse().map((key) => ({ item: key, kind: "delete" as ChangeKind }));
      return { result: undefined, changes };
    });
  }

  /** The page as an HTML document. */
  async pageContent(scope: NotesScope, id: string): Promise<string> {
    const page = await this.get(scope, "page", id);
    const body = (await repo.readNoteContent(this.ctx.db, page.containerId, page.id)) ?? "";
    return renderPageHtml({ title: page.name, createdAt: page.createdAt }, body);
  }

  /** Applies OneNote patch commands (body append/prepend/replace, title replace) to a page. */
  async patchPage(scope: NotesScope, id: string, commands: unknown): Promise<NoteItem> {
    const parsed = parsePatchCommands(commands);
    const page = await this.get(scope, "page", id);
    const container = containerOf(scope, page);
    await this.items.change(container, scope.principal.userId, async (trx, now) => {
      const body = await repo.readNoteContent(trx, container.id, page.id);
      if (body === undefined) throw notFound("page", id);
      const next = applyPatch({ title: page.name, body }, parsed);
      await repo.updateNoteItem(trx, {
        containerId: container.id,
        id: page.id,
        name: next.title,
        content: next.body,
        modifiedAt: now,
        modifiedBy: scope.principal.userId,
      });
      await repo.touchNoteItems(trx, container.id, ancestorsOf(page), now);
      return { result: undefined, changes: [{ item: page.id, kind: "update" }] };
    });
    return this.get(scope, "page", id);
  }

  private async create(
    scope: NotesScope,
    container: ResourceRecord,
    item: { type: NoteItemType; name: string; parentId: string | null; content: string | null },
    ancestors: string[],
  ): Promise<NoteItem> {
    const app = await this.identity.findApp(scope.principal.tenantId, scope.principal.appId);
    const id = newNoteId();
    await this.items.change(container, scope.principal.userId, async (trx, now) => {
      if (item.type !== "page") await this.checkFree(trx, container, item.type, item.parentId, item.name);
      await repo.insertNoteItem(trx, {
        containerId: container.id,
        id,
        guid: randomUUID(),
        ...item,
        createdAt: now,
        createdBy: scope.principal.userId,
        createdByAppId: app?.clientId ?? null,
      });
      await repo.touchNoteItems(trx, container.id, ancestors, now);
      return { result: undefined, changes: [{ item: id, kind: "add" }] };
    });
    return this.get(scope, item.type, id);
  }

  private async checkFree(
    trx: Executor,
    container: ResourceRecord,
    type: NoteItemType,
    parentId: string | null,
    name: string,
    exceptId?: string,
  ): Promise<void> {
    if (await repo.noteNameTaken(trx, container.id, type, parentId, name, exceptId)) {
      const where = type === "notebook" ? "in these notebooks" : "in this notebook";
      throw new NudgeError("nameAlreadyExists", `A ${type} named '${name}' already exists ${where}.`);
    }
  }
}

function containerIds(scope: NotesScope): string[] {
  return scope.containers.map((c) => c.id);
}

function containerOf(scope: NotesScope, item: NoteItem): ResourceRecord {
  return scope.containers.find((c) => c.id === item.containerId)!;
}

function withOwner(scope: NotesScope, record: repo.NoteRecord): NoteItem {
  return { ...record, ownerId: scope.containers.find((c) => c.id === record.containerId)!.ownerId };
}

function ancestorsOf(item: NoteItem): string[] {
  return [item.parent?.id, item.grandparent?.id].filter((id): id is string => id !== undefined);
}

function notFound(type: NoteItemType, id: string): NudgeError {
  return new NudgeError("itemNotFound", `The ${type} '${id}' does not exist, or you have no access to it.`);
}

/** OneNote ids are opaque strings (`0-8D4A…!1-…`); Nudge's are `0-` and 32 hex digits, unique across containers. */
function newNoteId(): string {
  return `0-${randomUUID().replaceAll("-", "")}`;
}
