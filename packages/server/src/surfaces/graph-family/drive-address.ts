/**
 * OneDrive item addresses, as Graph and the legacy API spell them after the drive
 * (`/me/drive`, `/drives/{id}`, `/users/{id}/drive`, legacy `/drive`):
 *
 * | path after the drive              | action       | item                        |
 * | --------------------------------- | ------------ | --------------------------- |
 * | (nothing)                         | `drive`      | —                           |
 * | `/root`, `/items/{id}`            | `item`       | the root, an item by id     |
 * | `/root:/a/b.txt` (`:` optional)   | `item`       | by path below root or an id |
 * | `…/children`, `…:/children`       | `children`   |                             |
 * | `…/content`, `…:/content`         | `content`    |                             |
 * | `…/delta`, `…/view.delta`         | `delta`, `view.delta` |                    |
 *
 * Names may not contain `:` or `/`, so splitting on them is safe.
 */
import { NudgeError } from "../../errors.js";
import type { ItemAddress } from "../../resources/drive/service.js";

export type DriveAction = "drive" | "item" | "children" | "content" | "delta" | "view.delta";

export interface DriveAddress {
  action: DriveAction;
  at: ItemAddress;
}

// A Map, not an object: a segment such as `constructor` must not find an inherited property.
const actions = new Map<string, DriveAction>([
  ["children", "children"],
  ["content", "content"],
  ["delta", "delta"],
  ["view.delta", "view.delta"],
]);

/** The address in `tail` (the part after the drive, decoded), or null when it names nothing. */
export function parseDriveAddress(tail: string): DriveAddress | null {
  const rest = tail.replace(/^\/+|\/+$/g, "");
  if (rest === "") return { action: "drive", at: { from: "root", path: [] } };
  const colon = rest.indexOf(":");
  const head = (colon < 0 ? rest : rest.slice(0, colon)).split("/");
  let from: ItemAddress["from"];
  let after: string[];
  if (head[0]!.toLowerCase() === "root") {
    from = "root";
    after = head.slice(1);
  } else if (head[0]!.toLowerCase() === "items" && head[1]) {
    from = { id: head[1] };
    after = head.slice(2);
  } else {
    return null;
  }
  if (colon < 0) {
    if (after.length === 0) return { action: "item", at: { from, path: [] } };
    const action = after.length === 1 ? actions.get(after[0]!.toLowerCase()) : undefined;
    return action ? { action, at: { from, path: [] } } : null;
  }
  if (after.length > 0) return null;
  // `root:/a/b:/children` → ["/a/b", "/children"]
  const [pathPart, suffix = "", ...extra] = rest.slice(colon + 1).split(":");
  if (extra.length > 0 || (pathPart !== "" && !pathPart!.startsWith("/"))) throw badPath(tail);
  const path = pathPart === "" ? [] : pathPart!.split("/").slice(1);
  if (path.some((name) => name === "")) throw badPath(tail);
  const actionName = suffix.replace(/^\/+|\/+$/g, "").toLowerCase();
  if (actionName === "") return { action: "item", at: { from, path } };
  const action = actions.get(actionName);
  return action ? { action, at: { from, path } } : null;
}

function badPath(tail: string): NudgeError {
  return new NudgeError(
    "invalidRequest",
    `'${tail}' is not a valid item path: use root:/folder/name or items/{id}:/name, with an optional :/children or :/content.`,
  );
}
