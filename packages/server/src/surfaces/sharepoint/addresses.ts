/**
 * What a SharePoint REST path addresses: the grammar of the paths Nudge serves, from parsed OData
 * segments to a target such as "item 5 of the list titled Docs". Anything outside this grammar is
 * not an address (404).
 *
 * | path after `/_api/`                                         | target          |
 * | ----------------------------------------------------------- | --------------- |
 * | `contextinfo`                                               | `contextinfo`   |
 * | `web`                                                       | `web`           |
 * | `web/lists` (or `lists`)                                    | `lists`         |
 * | `web/lists('{id}')`, `lists(guid'{id}')`, `lists/getById('{id}')`, `lists/getByTitle('{title}')` | `list` |
 * | `{list}/items`                                              | `items`         |
 * | `{list}/items({n})`, `{list}/items/getById({n})`            | `item`          |
 * | `{list}/subscriptions`                                      | `subscriptions` |
 * | `{list}/subscriptions('{id}')`, `…/subscriptions/getById('{id}')` | `subscription` |
 * | `{list}/getChanges`                                         | `changes`       |
 */
import type { ODataSegment } from "./odata-path.js";

export type ListRef = { by: "id"; id: string } | { by: "title"; title: string };

export type Target =
  | { kind: "contextinfo" }
  | { kind: "web" }
  | { kind: "lists" }
  | { kind: "list"; list: ListRef }
  | { kind: "items"; list: ListRef }
  | { kind: "item"; list: ListRef; itemId: number }
  | { kind: "subscriptions"; list: ListRef }
  | { kind: "subscription"; list: ListRef; subscriptionId: string }
  | { kind: "changes"; list: ListRef };

export type TargetKind = Target["kind"];

export function targetOf(segments: ODataSegment[]): Target | null {
  const [first, ...rest] = segments;
  // `/_api/lists/…` is SharePoint's shorthand for `/_api/web/lists/…`.
  if (first?.name === "lists") return listsTarget(segments);
  if (!first || first.argument !== undefined) return null;
  if (first.name === "contextinfo") return rest.length === 0 ? { kind: "contextinfo" } : null;
  if (first.name !== "web") return null;
  return rest.length === 0 ? { kind: "web" } : listsTarget(rest);
}

function listsTarget(segments: ODataSegment[]): Target | null {
  const [lists, ...rest] = segments;
  if (lists?.name !== "lists") return null;
  if (lists.argument === undefined && rest.length === 0) return { kind: "lists" };
  let list: ListRef | null;
  let inside: ODataSegment[];
  if (lists.argument !== undefined) {
    list = listById(lists.argument);
    inside = rest;
  } else {
    const [by, ...after] = rest;
    list = by ? listByMethod(by) : null;
    inside = after;
  }
  return list ? insideList(list, inside) : null;
}

function listById(argument: string | number): ListRef | null {
  return typeof argument === "string" ? { by: "id", id: argument.toLowerCase() } : null;
}

function listByMethod(segment: ODataSegment): ListRef | null {
  if (typeof segment.argument !== "string") return null;
  if (segment.name === "getbytitle") return { by: "title", title: segment.argument };
  if (segment.name === "getbyid") return listById(segment.argument);
  return null;
}

function insideList(list: ListRef, segments: ODataSegment[]): Target | null {
  const [collection, by, ...rest] = segments;
  if (!collection) return { kind: "list", list };
  if (rest.length > 0) return null;
  // `items(5)` and `items/getById(5)` address the same item; so do the subscription forms.
  const argument = collection.argument ?? (by?.name === "getbyid" ? by.argument : undefined);
  if (by && by.name !== "getbyid") return null;
  if (by && collection.argument !== undefined) return null;
  switch (collection.name) {
    case "items":
      if (argument === undefined) return by ? null : { kind: "items", list };
      return typeof argument === "number" && argument > 0 ? { kind: "item", list, itemId: argument } : null;
    case "subscriptions":
      if (argument === undefined) return by ? null : { kind: "subscriptions", list };
      return typeof argument === "string"
        ? { kind: "subscription", list, subscriptionId: argument.toLowerCase() }
        : null;
    case "getchanges":
      return collection.argument === undefined && !by ? { kind: "changes", list } : null;
    default:
      return null;
  }
}
