/**
 * Graph drives: driveItems and delta under `/v1.0/me/drive`, `/v1.0/drives/{id}` and
 * `/v1.0/users/{id}/drive`, as a translation table onto the drive service. (`/v1.0/drive/...` is
 * the legacy OneDrive API's, mounted beside these by the surface registry, surfaces/index.ts.)
 *
 * | action       | GET                  | POST           | PATCH            | PUT          | DELETE |
 * | ------------ | -------------------- | -------------- | ---------------- | ------------ | ------ |
 * | drive        | drive                |                |                  |              |        |
 * | item         | driveItem            |                | rename / move    |              | 204    |
 * | children     | children (paged)     | new folder 201 |                  |              |        |
 * | content      | the bytes            |                |                  | upload 201/200 |      |
 * | delta        | a page of the round  |                |                  |              |        |
 */
import type { FastifyInstance } from "fastify";
import { NudgeError } from "../../errors.js";
import { checkConflictBehavior } from "../../resources/drive/service.js";
import type { Services } from "../../services.js";
import { itemPatchOf, newFolderOf } from "./drive-body.js";
import { graphDrive, graphDriveItem, selectProperties } from "../graph-family/drive-item.js";
import {
  linkTo,
  pageSizeOf,
  registerDriveRoutes,
  uploadedBytes,
  withResyncLocation,
  type DriveBase,
  type DriveHandler,
  type DriveTable,
} from "../graph-family/drive-wire.js";

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 200;

const getDrive: DriveHandler = async ({ services, drive, query, origin }) => {
  const body: Record<string, unknown> = {
    "@odata.context": `${origin}/v1.0/$metadata#drives/$entity`,
    ...graphDrive(drive),
  };
  if (query.$expand?.split(",").some((e) => e.trim().toLowerCase() === "root")) {
    body.root = graphDriveItem(await services.drive.item(drive, { from: "root", path: [] }));
  }
  return { status: 200, body };
};

const getItem: DriveHandler = async ({ services, drive, address, query }) => {
  const item = await services.drive.item(drive, address.at);
  return { status: 200, body: selectProperties(graphDriveItem(item), query.$select) };
};

const listChildren: DriveHandler = async (call) => {
  const { services, drive, address, query, origin } = call;
  const top = pageSizeOf(query.$top, DEFAULT_PAGE, MAX_PAGE);
  const skip = skipOf(query.$skiptoken);
  const children = await services.drive.children(drive, address.at);
  const page = children.slice(skip, skip + top);
  return {
    status: 200,
    body: {
      "@odata.context": `${origin}/v1.0/$metadata#Collection(driveItem)`,
      value: page.map((c) => selectProperties(graphDriveItem(c), query.$select)),
      ...(skip + top < children.length && {
        "@odata.nextLink": linkTo(call, { $skiptoken: String(skip + top) }),
      }),
    },
  };
};

const createFolder: DriveHandler = async ({ services, drive, address, request }) => {
  const folder = await services.drive.createFolder(drive, address.at, newFolderOf(request.body));
  return { status: 201, body: graphDriveItem(folder) };
};

const updateItem: DriveHandler = async ({ services, drive, address, request }) => {
  const item = await services.drive.update(drive, address.at, itemPatchOf(request.body));
  return { status: 200, body: graphDriveItem(item) };
};

const deleteItem: DriveHandler = async ({ services, drive, address }) => {
  await services.drive.remove(drive, address.at);
  return { status: 204 };
};

const download: DriveHandler = async ({ services, drive, address }) => {
  const { item, content } = await services.drive.content(drive, address.at);
  return { status: 200, type: item.mimeType ?? "application/octet-stream", body: content };
};

/** PUT …:/content: 201 for a new file, 200 when an existing one was replaced. */
const upload: DriveHandler = async (call) => {
  const conflict = checkConflictBehavior(call.query["@microsoft.graph.conflictBehavior"], "replace");
  const { item, created } = await call.services.drive.upload(
    call.drive,
    call.address.at,
    uploadedBytes(call),
    conflict,
  );
  return { status: created ? 201 : 200, body: graphDriveItem(item) };
};

/** One page of a delta round: nextLink while the round has more, deltaLink on its last page. */
const delta: DriveHandler = async (call) => {
  const { services, drive, address, query, origin } = call;
  const page = await withResyncLocation(call, () =>
    services.drive.delta(drive, address.at, {
      token: query.token,
      top: pageSizeOf(query.$top, DEFAULT_PAGE, MAX_PAGE),
    }),
  );
  return {
    status: 200,
    body: {
      "@odata.context": `${origin}/v1.0/$metadata#Collection(driveItem)`,
      value: page.items.map((i) => selectProperties(graphDriveItem(i, { inDelta: true }), query.$select)),
      ...(page.nextToken
        ? { "@odata.nextLink": linkTo(call, { token: page.nextToken }) }
        : { "@odata.deltaLink": linkTo(call, { token: page.deltaToken! }) }),
    },
  };
};

export const graphDriveTable: DriveTable = {
  drive: { GET: getDrive },
  item: { GET: getItem, PATCH: updateItem, DELETE: deleteItem },
  children: { GET: listChildren, POST: createFolder },
  content: { GET: download, PUT: upload },
  delta: { GET: delta },
};

const graphBases: DriveBase[] = [
  { url: "/me/drive", ref: () => ({ me: true }) },
  { url: "/drives/:driveId", ref: (p) => ({ driveId: p.driveId! }) },
  { url: "/users/:userId/drive", ref: (p) => ({ userId: p.userId! }) },
];

export async function registerGraphDriveRoutes(app: FastifyInstance, services: Services): Promise<void> {
  await registerDriveRoutes(app, services, graphBases, graphDriveTable);
}

function skipOf(value: string | undefined): number {
  if (value === undefined || value === "") return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new NudgeError("invalidRequest", `'${value}' is not a valid $skiptoken.`);
  return n;
}
