/**
 * `POST …/lists(…)/getchanges`: the list's journal as a collection of `SP.ChangeItem`, each with
 * the change token of its own position, so a client keeps the last one and asks again from there.
 *
 * | journal kind | ChangeType       |
 * | ------------ | ---------------- |
 * | add          | 1 (add)          |
 * | update       | 2 (update)       |
 * | delete       | 3 (deleteObject) |
 * | rename       | 4 (rename)       |
 * | move         | 6 (moveInto)     |
 */
import type { ChangeKind, ChangeRecord } from "../../resources/feed.js";
import type { ResourceRecord } from "../../resources/service.js";
import { listRefOf, resolveList, type SharePointCall, type SharePointHandler } from "./call.js";
import { changeQueryOf } from "./change-query.js";
import { encodeChangeToken } from "./change-token.js";
import { sharePointDate } from "./dates.js";
import { listPath } from "./lists.js";
import { collectionBody, complexValue, type Entity } from "./odata-shape.js";

const changeTypeOf: Record<ChangeKind, number> = { add: 1, update: 2, delete: 3, rename: 4, move: 6 };

export const getChanges: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  const query = changeQueryOf(call.body, list.id);
  const changes = query ? await call.services.feed.page(query) : [];
  const entities = changes.map((change) => changeEntity(call, list, change));
  return { status: 200, body: collectionBody(call.shape, call.root, "Collection(SP.Change)", entities) };
};

function changeEntity(call: SharePointCall, list: ResourceRecord, change: ChangeRecord): Entity {
  const itemNumber = Number(change.itemKey);
  return {
    meta: { type: "SP.ChangeItem", path: `${listPath(list)}/Changes(${change.seq})` },
    fields: {
      ChangeToken: complexValue(call.shape, "SP.ChangeToken", {
        StringValue: encodeChangeToken(list.id, change.at, change.seq),
      }),
      ChangeType: changeTypeOf[change.kind],
      SiteId: call.site.id,
      Time: sharePointDate(change.at),
      ItemId: Number.isInteger(itemNumber) ? itemNumber : change.itemKey,
      ListId: list.id,
      WebId: call.site.id,
    },
  };
}
