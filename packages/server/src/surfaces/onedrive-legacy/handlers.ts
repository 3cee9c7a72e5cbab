/**
 * The legacy OneDrive API's translation table (`/drive/...`, also served under `/v1.0/drive/...`):
 * enough for a legacy client to read and change a drive and follow its changes with view.delta.
 *
 * | path                                   | answer                                              |
 * | -------------------------------------- | --------------------------------------------------- |
 * | `GET /drive`                           | the drive                                           |
 * | `GET /drive/root`, `/drive/items/{id}` | an item (also `root:/path:`)                        |
 * | `GET …/children`                       | `{value:[items]}`                                   |
 * | `GET …/content`, `PUT …:/content`      | download; upload (201 new, 200 replaced)            |
 * | `GET …/view.delta?token=&top=`         | `{value, @odata.nextLink or @odata.deltaLink, @delta.token}` |
 *
 * `token=latest` answers only the current token. Errors are Graph's shape (the old API's was the same).
 */
import {
  linkTo,
  pageSizeOf,
  uploadedBytes,
  withResyncLocation,
  type DriveHandler,
  type DriveTable,
} from "../graph-family/drive-wire.js";
import { legacyDrive, legacyItem } from "./item.js";

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 200;

const getDrive: DriveHandler = async ({ drive }) => ({ status: 200, body: legacyDrive(drive) });

const getItem: DriveHandler = async ({ services, drive, address }) => ({
  status: 200,
  body: legacyItem(await services.drive.item(drive, address.at)),
});

const listChildren: DriveHandler = async ({ services, drive, address }) => ({
  status: 200,
  body: { value: (await services.drive.children(drive, address.at)).map((c) => legacyItem(c)) },
});

const download: DriveHandler = async ({ services, drive, address }) => {
  const { item, content } = await services.drive.content(drive, address.at);
  return { status: 200, type: item.mimeType ?? "application/octet-stream", body: content };
};

const upload: DriveHandler = async (call) => {
  const { item, created } = await call.services.drive.upload(
    call.drive,
    call.address.at,
    uploadedBytes(call),
  );
  return { status: created ? 201 : 200, body: legacyItem(item) };
};

/** view.delta: a page of the round and, on every page, the token to carry on from (`@delta.token`). */
const viewDelta: DriveHandler = async (call) => {
  const { services, drive, address, query } = call;
  const page = await withResyncLocation(call, () =>
    services.drive.delta(drive, address.at, {
      token: query.token,
      top: pageSizeOf(query.top ?? query.$top, DEFAULT_PAGE, MAX_PAGE),
    }),
  );
  const token = page.nextToken ?? page.deltaToken!;
  return {
    status: 200,
    body: {
      value: page.items.map((i) => legacyItem(i, { inDelta: true })),
      ...(page.nextToken
        ? { "@odata.nextLink": linkTo(call, { token }) }
        : { "@odata.deltaLink": linkTo(call, { token }) }),
      "@delta.token": token,
    },
  };
};

export const legacyDriveTable: DriveTable = {
  drive: { GET: getDrive },
  item: { GET: getItem },
  children: { GET: listChildren },
  content: { GET: download, PUT: upload },
  "view.delta": { GET: viewDelta },
};
