/**
 * Graph's driveItem and drive JSON, field by field from the drive service's views:
 *
 * | driveItem field        | from                                                    |
 * | ---------------------- | ------------------------------------------------------- |
 * | `id`, `name`           | the item (the root is named `root`)                     |
 * | `eTag`                 | `"{id},{version}"`: changes with every change           |
 * | `cTag`                 | `"c:{id},{content version}"`: changes with the bytes    |
 * | `size`                 | bytes of a file; total below a folder                   |
 * | `parentReference`      | `{driveId, driveType, id, path: "/drive/root:/a/b"}` (no `path` in delta, as Graph) |
 * | `file` / `folder`      | `{mimeType}` / `{childCount}`; `root: {}` on the root   |
 * | `deleted`              | `{}` on deleted items in delta (with `id`, `name`, `parentReference`) |
 */
import type { DriveItemView } from "../../resources/drive/service.js";
import type { DriveHandle } from "../../resources/drive/service.js";

export type Json = Record<string, unknown>;

export function graphDriveItem(view: DriveItemView, options: { inDelta?: boolean } = {}): Json {
  const parentReference: Json = { driveId: view.driveId, driveType: "personal" };
  if (view.parentId) {
    parentReference.id = view.parentId;
    if (!options.inDelta && !view.deleted) parentReference.path = `/drive/root:${view.parentPath ?? ""}`;
  }
  if (view.deleted) return { id: view.id, name: view.name, deleted: {}, parentReference };
  return {
    id: view.id,
    name: view.name,
    eTag: `"{${view.id}},${view.version}"`,
    cTag: `"c:{${view.id}},${view.contentVersion}"`,
    size: view.size,
    createdDateTime: new Date(view.createdAt).toISOString(),
    lastModifiedDateTime: new Date(view.modifiedAt).toISOString(),
    createdBy: { user: { id: view.createdBy } },
    lastModifiedBy: { user: { id: view.modifiedBy } },
    parentReference,
    ...(view.kind === "file"
      ? { file: { mimeType: view.mimeType } }
      : { folder: { childCount: view.childCount } }),
    ...(view.isRoot && { root: {} }),
  };
}

export function graphDrive(drive: DriveHandle): Json {
  return {
    id: drive.resource.id,
    driveType: "personal",
    name: drive.resource.title,
    createdDateTime: new Date(drive.resource.createdAt).toISOString(),
    lastModifiedDateTime: new Date(drive.resource.modifiedAt).toISOString(),
    owner: { user: { id: drive.owner.id, displayName: drive.owner.displayName } },
  };
}

/**
 * `$select=name,size`: only those properties, and always `id` (clients track items by it) and
 * `deleted` (without it a deletion would read as an item with no fields).
 */
export function selectProperties(item: Json, select: string | undefined): Json {
  if (!select) return item;
  const wanted = new Set(
    select
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );
  wanted.add("id");
  wanted.add("deleted");
  return Object.fromEntries(Object.entries(item).filter(([key]) => wanted.has(key)));
}
