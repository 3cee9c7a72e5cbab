/**
 * How each OneNote API spells the same notebooks, sections and pages. The old API
 * (`/api/v1.0/me/notes`) says `name`, `createdTime`, `lastModifiedTime` and takes query options
 * without `$`; Graph (`/v1.0/me/onenote`) says `displayName`, `createdDateTime`,
 * `lastModifiedDateTime` and spells them `$filter`, `$top`…. Everything else is shared.
 */
import type { NoteItem, NoteItemType } from "../../resources/notes/service.js";

/** Where an API lives, for the links it hands out. */
export interface NotesLinks {
  /** `https://host:port` as the client reached Nudge. */
  origin: string;
  /** The API root the call came through: `{origin}/api/v1.0/me/notes`, `{origin}/v1.0/users/{id}/onenote`. */
  root: string;
  callerId: string;
}

export interface NotesSpelling {
  api: "onenote" | "graph";
  /** Property names the query options use. */
  properties: { created: string; modified: string; name: Record<NoteItemType, string> };
  /** The paging option written into `@odata.nextLink`. */
  skipOption: "skip" | "$skip";
  render(item: NoteItem, links: NotesLinks): Record<string, unknown>;
  context(links: NotesLinks, type: NoteItemType, entity: boolean): string;
}

const plural = { notebook: "notebooks", section: "sections", page: "pages" } as const;

function selfOf(links: NotesLinks, type: NoteItemType, id: string): string {
  return `${links.root}/${plural[type]}/${encodeURIComponent(id)}`;
}

function clientLinks(links: NotesLinks, type: NoteItemType, id: string) {
  const web = `${links.origin}/onenote/${plural[type]}/${encodeURIComponent(id)}`;
  return { oneNoteClientUrl: { href: `onenote:${web}` }, oneNoteWebUrl: { href: web } };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The old OneNote API's shapes. */
export const oneNoteSpelling: NotesSpelling = {
  api: "onenote",
  properties: {
    created: "createdTime",
    modified: "lastModifiedTime",
    name: { notebook: "name", section: "name", page: "title" },
  },
  skipOption: "skip",
  render(item, links) {
    const self = selfOf(links, item.type, item.id);
    const times = { createdTime: iso(item.createdAt), lastModifiedTime: iso(item.modifiedAt) };
    const parent = (type: NoteItemType, ref: { id: string; name: string }) => ({
      id: ref.id,
      name: ref.name,
      self: selfOf(links, type, ref.id),
    });
    switch (item.type) {
      case "notebook":
        return {
          id: item.id,
          name: item.name,
          ...times,
          isDefault: false,
          userRole: item.ownerId === links.callerId ? "Owner" : "Contributor",
          isShared: item.ownerId !== links.callerId,
          sectionsUrl: `${self}/sections`,
          links: clientLinks(links, item.type, item.id),
          self,
        };
      case "section":
        return {
          id: item.id,
          name: item.name,
          ...times,
          isDefault: false,
          pagesUrl: `${self}/pages`,
          self,
          ...(item.parent && { parentNotebook: parent("notebook", item.parent) }),
        };
      case "page":
        return {
          id: item.id,
          title: item.name,
          ...times,
          createdByAppId: item.createdByAppId,
          contentUrl: `${self}/content`,
          links: clientLinks(links, item.type, item.id),
          self,
          ...(item.parent && { parentSection: parent("section", item.parent) }),
          ...(item.grandparent && { parentNotebook: parent("notebook", item.grandparent) }),
        };
    }
  },
  context(links, type, entity) {
    const base = links.root.slice(0, links.root.indexOf("/api/v1.0") + "/api/v1.0".length);
    return `${base}/$metadata#me/notes/${plural[type]}${entity ? "/$entity" : ""}`;
  },
};

/** Microsoft Graph's shapes (`onenote` resources of `/v1.0`). */
export const graphSpelling: NotesSpelling = {
  api: "graph",
  properties: {
    created: "createdDateTime",
    modified: "lastModifiedDateTime",
    name: { notebook: "displayName", section: "displayName", page: "title" },
  },
  skipOption: "$skip",
  render(item, links) {
    const self = selfOf(links, item.type, item.id);
    const common = {
      id: item.id,
      self,
      createdDateTime: iso(item.createdAt),
      lastModifiedDateTime: iso(item.modifiedAt),
    };
    const people = {
      createdBy: { user: { id: item.createdBy } },
      lastModifiedBy: { user: { id: item.modifiedBy } },
    };
    const parent = (type: NoteItemType, ref: { id: string; name: string }) => ({
      id: ref.id,
      displayName: ref.name,
      self: selfOf(links, type, ref.id),
    });
    switch (item.type) {
      case "notebook":
        return {
          ...common,
          displayName: item.name,
          ...people,
          isDefault: false,
          userRole: item.ownerId === links.callerId ? "Owner" : "Contributor",
          isShared: item.ownerId !== links.callerId,
          sectionsUrl: `${self}/sections`,
          links: clientLinks(links, item.type, item.id),
        };
      case "section":
        return {
          ...common,
          displayName: item.name,
          ...people,
          isDefault: false,
          pagesUrl: `${self}/pages`,
          links: clientLinks(links, item.type, item.id),
          ...(item.parent && { parentNotebook: parent("notebook", item.parent) }),
        };
      case "page":
        return {
          ...common,
          title: item.name,
          createdByAppId: item.createdByAppId,
          contentUrl: `${self}/content`,
          links: clientLinks(links, item.type, item.id),
          ...(item.parent && { parentSection: parent("section", item.parent) }),
          ...(item.grandparent && { parentNotebook: parent("notebook", item.grandparent) }),
        };
    }
  },
  context(links, type, entity) {
    return `${links.origin}/v1.0/$metadata#users('${links.callerId}')/onenote/${plural[type]}${entity ? "/$entity" : ""}`;
  },
};

/** The properties `select` may name for a type: those the spelling renders (a page with parents). */
export function selectableProperties(spelling: NotesSpelling, type: NoteItemType): string[] {
  const ref = { id: "", name: "" };
  const sample: NoteItem = {
    containerId: "",
    id: "",
    type,
    name: "",
    parentId: null,
    createdAt: 0,
    modifiedAt: 0,
    createdBy: null,
    modifiedBy: null,
    createdByAppId: null,
    parent: ref,
    grandparent: ref,
    ownerId: "",
  };
  return Object.keys(spelling.render(sample, { origin: "", root: "", callerId: "" }));
}
