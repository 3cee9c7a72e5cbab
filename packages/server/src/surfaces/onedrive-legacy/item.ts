/**
 * The legacy OneDrive API's item JSON (api.onedrive.com/v1.0), from the drive service's views.
 * The same facets as Graph's driveItem without Graph's additions (`driveType`, `root`):
 * `id, name, eTag, cTag, size, createdDateTime, lastModifiedDateTime, createdBy, lastModifiedBy,
 * parentReference {driveId, id, path}, file {mimeType} | folder {childCount}`, and on deleted
 * items in view.delta `deleted: {}`. view.delta leaves `parentReference.path` out, as the old API did.
 */
import type { DriveHandle, DriveItemView } from "../../resources/drive/service.js";

export type Json = Record<string, unknown>;

export function legacyItem(view: DriveItemView, options: { inDelta?: boolean } = {}): Json {
  const parentReference: Json = { driveId: view.driveId };
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
  };
}

export function legacyDrive(drive: DriveHandle): Json {
  return {
    id: drive.resource.id,
    driveType: "personal",
    owner: { user: { id: drive.owner.id, displayName: drive.owner.displayName } },
  };
}
