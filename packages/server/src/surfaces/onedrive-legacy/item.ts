/**
 * The legacy OneDrive API's item JSON (api.onedrive.com/v1.0), from the drive service's views.
 * The same facets as Graph's driveItem without Graph's additions (`driveType`, `root`):
 * `id, name, eTag, cTag, size, createdDateTime, lastModifiedDateTime, createdBy, lastModifiedBy,
 * parentReference {driveId, id, path}, file {mimeType} | folder {childCount}`, and on deleted
 * items in view.delta `deleted: {}`. view.delta leaves `parentReference.path` out, as the old API did.
 */
import type { DriveHandle, DriveItemView } from "../../resources/drive/service.js";
import { graphDriveItem } from "../graph-family/drive-item.js";

export type Json = Record<string, unknown>;

export function legacyItem(view: DriveItemView, options: { inDelta?: boolean } = {}): Json {
  // Graph's driveItem grew out of this one: the same JSON less what Graph added.
  const { root: _root, ...item } = graphDriveItem(view, options);
  const { driveType: _driveType, ...parentReference } = item.parentReference as Json;
  return { ...item, parentReference };
}

export function legacyDrive(drive: DriveHandle): Json {
  return {
    id: drive.resource.id,
    driveType: "personal",
    owner: { user: { id: drive.owner.id, displayName: drive.owner.displayName } },
  };
}
