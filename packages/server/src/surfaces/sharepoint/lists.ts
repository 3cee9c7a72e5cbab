/**
 * Lists: create (`POST web/lists`), read (by id or title), list, and the MERGE that @pnp/sp's
 * `lists.ensure` sends to an existing list. A list is a Nudge resource of kind `sharepoint-list`.
 *
 * | SP.List field                | from                                            |
 * | ---------------------------- | ----------------------------------------------- |
 * | `Id`                         | resource id                                     |
 * | `Title`, `BaseTemplate`      | resource title and template (default 100)       |
 * | `Created`, `LastItemModifiedDate` | resource created / last change             |
 * | `ItemCount`                  | items in the list                               |
 * | `CurrentChangeToken`         | a change token after the newest change (where a new reader starts) |
 * | `EntityTypeName`, `ListItemEntityTypeFullName` | the title, as SharePoint derives them |
 * | `ParentWebUrl`               | the site path                                   |
 */
import { NudgeError } from "../../errors.js";
import type { ResourceRecord } from "../../resources/service.js";
import { listRefOf, resolveList, type SharePointCall, type SharePointHandler } from "./call.js";
import { encodeChangeToken } from "./change-token.js";
import { sharePointDate } from "./dates.js";
import {
  collectionBody,
  complexValue,
  entityBody,
  selectFields,
  takeTop,
  type Entity,
} from "./odata-shape.js";
import { bodyObject, optionalString } from "./request-body.js";

const GENERIC_LIST = 100;

export const createList: SharePointHandler = async (call) => {
  const body = bodyObject(call.body);
  const title = optionalString(body, "Title")?.trim();
  if (!title) throw new NudgeError("invalidRequest", "Title is required and must be a non-empty string.");
  const template = body.BaseTemplate ?? GENERIC_LIST;
  if (typeof template !== "number" || !Number.isInteger(template)) {
    throw new NudgeError("invalidRequest", "BaseTemplate must be an integer (100 is a generic list).");
  }
  optionalString(body, "Description");
  const list = await call.services.resources.create(call.principal, {
    kind: "sharepoint-list",
    title,
    siteId: call.site.id,
    template,
  });
  return {
    status: 201,
    body: entityBody(call.shape, call.root, "SP.ApiData.Lists", await listEntity(call, list)),
  };
};

export const getList: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  return {
    status: 200,
    body: entityBody(call.shape, call.root, "SP.ApiData.Lists", await listEntity(call, list)),
  };
};

export const listLists: SharePointHandler = async (call) => {
  const lists = await call.services.resources.list(call.principal, {
    kind: "sharepoint-list",
    siteId: call.site.id,
  });
  const chosen = takeTop(lists, call.query.get("$top"));
  const entities = await Promise.all(chosen.map((list) => listEntity(call, list)));
  return { status: 200, body: collectionBody(call.shape, call.root, "SP.ApiData.Lists", entities) };
};

/**
 * `lists.ensure` MERGEs the title and description into a list that exists. Nudge keeps neither
 * property's changes (titles are how lists are found), so it only checks the list is there.
 */
export const updateList: SharePointHandler = async (call) => {
  await resolveList(call, listRefOf(call.target));
  bodyObject(call.body ?? {});
  return { status: 204 };
};

/** `SP.Data.{Name}ListItem`: SharePoint derives item type names from the list's title. */
export function entityNameOf(list: ResourceRecord): string {
  const name = list.title.replace(/[^A-Za-z0-9_]/g, "");
  return `${/^[A-Za-z_]/.test(name) ? name : `OData_${name}`}List`;
}

export function listPath(list: ResourceRecord): string {
  return `Web/Lists(guid'${list.id}')`;
}

async function listEntity(call: SharePointCall, list: ResourceRecord): Promise<Entity> {
  const itemCount = (await call.services.items.list(list)).length;
  const entityName = entityNameOf(list);
  const fields = {
    Id: list.id,
    Title: list.title,
    Description: "",
    BaseTemplate: list.template ?? GENERIC_LIST,
    BaseType: 0,
    Created: sharePointDate(list.createdAt),
    LastItemModifiedDate: sharePointDate(list.modifiedAt),
    ItemCount: itemCount,
    CurrentChangeToken: complexValue(call.shape, "SP.ChangeToken", {
      StringValue: encodeChangeToken(
        list.id,
        call.services.clock.now(),
        await call.services.feed.latestSeq(list.id),
      ),
    }),
    EntityTypeName: entityName,
    ListItemEntityTypeFullName: `SP.Data.${entityName}Item`,
    ParentWebUrl: call.site.path,
  };
  return {
    meta: { type: "SP.List", path: listPath(list) },
    fields: selectFields(fields, call.query.get("$select")),
  };
}
