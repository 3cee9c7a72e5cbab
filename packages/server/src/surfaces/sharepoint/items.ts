/**
 * List items: add, read, list, update (PATCH, PUT, MERGE or POST with `X-HTTP-Method: MERGE`,
 * honouring `IF-MATCH`) and delete (DELETE or POST with `X-HTTP-Method: DELETE`). Every write is
 * a change in the list's journal, which is what subscriptions are notified of.
 *
 * | SP.ListItem field     | from                                   |
 * | --------------------- | -------------------------------------- |
 * | `Id`, `ID`            | the item number (1, 2, 3 … per list)   |
 * | `Title`, other fields | the item's fields                      |
 * | `Created`, `Modified` | item times                             |
 * | `AuthorId`, `EditorId`| Nudge user ids of creator and last editor |
 * | `GUID`                | the item's GUID                        |
 * | etag                  | `"{version}"` (`odata.etag`, `__metadata.etag`, `ETag` header) |
 */
import { NudgeError } from "../../errors.js";
import type { ItemRecord } from "../../resources/items.js";
import type { ResourceRecord } from "../../resources/service.js";
import type { Target } from "./addresses.js";
import { listRefOf, resolveList, type SharePointCall, type SharePointHandler } from "./call.js";
import { sharePointDate } from "./dates.js";
import { entityNameOf, listPath } from "./lists.js";
import { collectionBody, entityBody, selectFields, takeTop, type Entity } from "./odata-shape.js";
import { itemFieldsOf } from "./request-body.js";

export const addItem: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  const item = await call.services.items.addNumbered(list, itemFieldsOf(call.body), call.principal.userId);
  return itemReply(call, list, item, 201);
};

export const getItem: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  const item = await call.services.items.get(list, itemKeyOf(call.target));
  if (!item) throw itemNotFound();
  return itemReply(call, list, item, 200);
};

export const listItems: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  const items = takeTop(await call.services.items.list(list), call.query.get("$top"));
  const entities = items.map((item) => itemEntity(call, list, item));
  return { status: 200, body: collectionBody(call.shape, call.root, itemSetOf(list), entities) };
};

/** 204 with the new etag in `ETag` (@pnp/sp returns it to the caller as `{etag}`). */
export const updateItem: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  const item = await call.services.items.update(
    list,
    itemKeyOf(call.target),
    itemFieldsOf(call.body ?? {}),
    call.principal.userId,
    ifMatchOf(call),
  );
  return { status: 204, headers: { etag: etagOf(item) } };
};

/** SharePoint answers a delete with 200 and an empty body. */
export const deleteItem: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  await call.services.items.delete(list, itemKeyOf(call.target), call.principal.userId, ifMatchOf(call));
  return { status: 200 };
};

function itemReply(call: SharePointCall, list: ResourceRecord, item: ItemRecord, status: number) {
  return {
    status,
    body: entityBody(call.shape, call.root, itemSetOf(list), itemEntity(call, list, item)),
    headers: { etag: etagOf(item) },
  };
}

function itemEntity(call: SharePointCall, list: ResourceRecord, item: ItemRecord): Entity {
  const number = item.number ?? Number(item.key);
  const { Title, ...others } = item.fields;
  const fields = {
    Id: number,
    ID: number,
    Title: Title ?? null,
    ...others,
    Created: sharePointDate(item.createdAt),
    Modified: sharePointDate(item.modifiedAt),
    AuthorId: item.createdBy,
    EditorId: item.modifiedBy,
    GUID: item.guid,
  };
  return {
    meta: {
      type: `SP.Data.${entityNameOf(list)}Item`,
      path: `${listPath(list)}/Items(${number})`,
      etag: etagOf(item),
    },
    fields: selectFields(fields, call.query.get("$select")),
  };
}

function itemSetOf(list: ResourceRecord): string {
  return `SP.ListData.${entityNameOf(list)}Items`;
}

function itemKeyOf(target: Target): string {
  if (target.kind !== "item") throw new Error(`target ${target.kind} has no item`);
  return String(target.itemId);
}

function etagOf(item: ItemRecord): string {
  return `"${item.version}"`;
}

function ifMatchOf(call: SharePointCall): string | undefined {
  const header = call.headers["if-match"];
  return Array.isArray(header) ? header[0] : header;
}

function itemNotFound() {
  return new NudgeError("itemNotFound", "Item does not exist. It may have been deleted by another user.");
}
