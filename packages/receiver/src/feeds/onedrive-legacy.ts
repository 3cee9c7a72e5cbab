/**
 * The legacy OneDrive API's `GET /drive/root/view.delta?token=`: pages linked by
 * `@odata.nextLink`, and on every page `@delta.token`, the token to carry on from (mid-round, the
 * next page's; on the last page, the next round's). That token is the position. A 410 means it
 * expired: enumerate the drive again.
 */
import { HttpError, joinUrl } from "../http/api-client.js";
import { nonEmpty, PositionExpiredError, type Feed, type FeedChange, type FeedContext } from "./feed.js";

type LegacyTarget = { surface: "onedrive-legacy"; userId: string };

interface ViewDeltaPage {
  value: FeedChange[];
  "@odata.nextLink"?: string;
  "@delta.token"?: string;
}

async function viewDelta(context: FeedContext, query: Record<string, string>): Promise<ViewDeltaPage> {
  // The notification names the user; the access token (for that user) names the drive.
  const url = new URL(joinUrl(context.baseUrl, "/drive/root/view.delta"));
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  try {
    return (await context.api.call("GET", url.href)).json as ViewDeltaPage;
  } catch (error) {
    if (error instanceof HttpError && error.status === 410) throw new PositionExpiredError(error.message);
    throw error;
  }
}

export const legacyOneDriveFeed: Feed<LegacyTarget> = {
  resync: "enumerate",

  targetOf(entry) {
    const userId = nonEmpty(entry.userId);
    return userId ? { surface: "onedrive-legacy", userId } : null;
  },

  async read(_target, position, context) {
    const page = await viewDelta(context, {
      top: String(context.pageSize),
      ...(position && { token: position }),
    });
    return {
      changes: page.value,
      position: page["@delta.token"] ?? position ?? "",
      more: !!page["@odata.nextLink"],
    };
  },

  async latest(_target, context) {
    return (await viewDelta(context, { token: "latest" }))["@delta.token"];
  },
};
