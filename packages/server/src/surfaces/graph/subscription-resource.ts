/**
 * What a Graph subscription's `resource` may name: a drive's root, the only driveItem Graph lets
 * a subscription watch (a change anywhere below it notifies). Three spellings, leading slash
 * optional, segment names in any case as Graph reads them:
 *
 * | resource                   | drive                                   |
 * | -------------------------- | --------------------------------------- |
 * | `/me/drive/root`           | the caller's own                        |
 * | `/drives/{drive-id}/root`  | that drive, if the caller may see it    |
 * | `/users/{user-id}/drive/root` | that user's, if it is shared with the caller |
 */
import { NudgeError } from "../../errors.js";
import type { Principal } from "../../identity/principal.js";
import type { ResourceRecord } from "../../resources/service.js";
import type { Services } from "../../services.js";

export interface SubscribedDrive {
  drive: ResourceRecord;
  /** The resource as the client named it, with a leading slash; echoed in notifications. */
  resourcePath: string;
}

const ME = /^\/me\/drive\/root$/i;
const DRIVE = /^\/drives\/([^/]+)\/root$/i;
const USER = /^\/users\/([^/]+)\/drive\/root$/i;

export async function subscribedDrive(
  services: Services,
  principal: Principal,
  resource: string,
): Promise<SubscribedDrive> {
  const resourcePath = resource.startsWith("/") ? resource : `/${resource}`;
  if (ME.test(resourcePath)) {
    return { drive: await services.resources.ensureOwn(principal, "drive"), resourcePath };
  }
  const driveId = DRIVE.exec(resourcePath)?.[1];
  if (driveId !== undefined) {
    return {
      drive: await services.resources.get(principal, decodeURIComponent(driveId), "drive"),
      resourcePath,
    };
  }
  const userId = USER.exec(resourcePath)?.[1];
  if (userId !== undefined) {
    const drive = await services.resources.containerOf(principal, decodeURIComponent(userId), "drive");
    return { drive, resourcePath };
  }
  throw new NudgeError(
    "invalidRequest",
    `Resource '${resource}' is not supported: a driveItem subscription watches a drive root (/me/drive/root, /drives/{id}/root or /users/{id}/drive/root).`,
  );
}
