/**
 * What the drive service hands to the Graph and legacy OneDrive surfaces: one driveItem in domain
 * terms, with everything a wire shape needs already worked out from the tree (path, child count,
 * folder size). Surfaces only rename fields.
 */
import type { DriveItemRecord } from "../../store/repositories/drive-items.js";
import type { DriveTree } from "./tree.js";

export interface DriveItemView {
  driveId: string;
  id: string;
  name: string;
  kind: "file" | "folder";
  isRoot: boolean;
  deleted: boolean;
  /** File bytes, or the total below a folder. */
  size: number;
  mimeType: string | null;
  /** Live children of a folder; null for files. */
  childCount: number | null;
  /** Bumped by every change (eTag). */
  version: number;
  /** Bumped when a file's bytes change (cTag). */
  contentVersion: number;
  createdAt: number;
  modifiedAt: number;
  createdBy: string | null;
  modifiedBy: string | null;
  parentId: string | null;
  /** The parent's path below the root (`` for the root's children, `/a/b` deeper); null for the root. */
  parentPath: string | null;
}

export function viewOf(tree: DriveTree, item: DriveItemRecord): DriveItemView {
  const deleted = item.type === "deleted";
  const kind = deleted ? (item.deletedType ?? "file") : (item.type as "file" | "folder");
  const isRoot = item.id === tree.rootId;
  return {
    driveId: item.resourceId,
    id: item.id,
    name: isRoot ? "root" : item.name,
    kind,
    isRoot,
    deleted,
    size: deleted ? 0 : tree.sizeOf(item.id),
    mimeType: kind === "file" ? (item.mimeType ?? "application/octet-stream") : null,
    childCount: kind === "folder" && !deleted ? tree.childrenOf(item.id).length : null,
    version: item.version,
    contentVersion: item.contentVersion,
    createdAt: item.createdAt,
    modifiedAt: item.modifiedAt,
    createdBy: item.createdBy,
    modifiedBy: item.modifiedBy,
    parentId: item.parentId,
    parentPath: item.parentId ? tree.pathOf(item.parentId) : null,
  };
}
