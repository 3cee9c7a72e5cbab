/**
 * Request bodies of driveItem writes: `POST …/children` (a new folder) and `PATCH …/items/{id}`
 * (rename, move). Wrong shapes are `invalidRequest` with the field named; unknown driveItem
 * properties (description, fileSystemInfo …) are accepted and ignored, as a stand-in should.
 */
import { NudgeError } from "../../errors.js";
import {
  checkConflictBehavior,
  type ConflictBehavior,
  type ItemAddress,
} from "../../resources/drive/service.js";
import { parseDriveAddress } from "../graph-family/drive-address.js";

const CONFLICT = "@microsoft.graph.conflictBehavior";

export function newFolderOf(body: unknown): { name: unknown; conflict: ConflictBehavior } {
  const fields = objectOf(body);
  if (fields.folder === undefined) {
    throw new NudgeError(
      "invalidRequest",
      'Only folders can be created here: send {"name":"…","folder":{}}; upload files with PUT …:/content.',
    );
  }
  if (typeof fields.folder !== "object" || fields.folder === null || Array.isArray(fields.folder)) {
    throw new NudgeError("invalidRequest", "folder must be an object.");
  }
  return { name: fields.name, conflict: checkConflictBehavior(fields[CONFLICT], "fail") };
}

export function itemPatchOf(body: unknown): {
  name?: unknown;
  parent?: ItemAddress;
  conflict: ConflictBehavior;
} {
  const fields = objectOf(body);
  const patch: { name?: unknown; parent?: ItemAddress; conflict: ConflictBehavior } = {
    conflict: checkConflictBehavior(fields[CONFLICT], "fail"),
  };
  if (fields.name !== undefined) patch.name = fields.name;
  const ref = fields.parentReference;
  if (ref !== undefined && ref !== null) {
    if (typeof ref !== "object" || Array.isArray(ref))
      throw new NudgeError("invalidRequest", "parentReference must be an object.");
    const { id, path } = ref as Record<string, unknown>;
    if (typeof id === "string" && id !== "") patch.parent = { from: { id }, path: [] };
    else if (typeof path === "string") patch.parent = parentPathOf(path);
    else if (id !== undefined || path !== undefined)
      throw new NudgeError("invalidRequest", "parentReference.id must be a non-empty string.");
  }
  return patch;
}

/** `/drive/root:/a/b` → the folder at root:/a/b. */
function parentPathOf(path: string): ItemAddress {
  const tail = path.replace(/^\/drive\//i, "");
  const address = /^root(:|$)/i.test(tail) ? parseDriveAddress(tail) : null;
  if (!address || address.action !== "item")
    throw new NudgeError(
      "invalidRequest",
      `parentReference.path '${path}' is not a path such as /drive/root:/folder.`,
    );
  return address.at;
}

function objectOf(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new NudgeError("invalidRequest", "The request body must be a JSON object.");
  }
  return body as Record<string, unknown>;
}
