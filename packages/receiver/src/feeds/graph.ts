/**
 * Graph drive delta: `GET {drive root}/delta`. A round is served in pages linked by
 * `@odata.nextLink`; its last page has `@odata.deltaLink`, the start of the next round. The link
 * itself is the position (Graph asks clients to use it as given). A 410 means the link expired:
 * enumerate the drive again from no token, and tell the callback it is a resync.
 */
import { HttpError, joinUrl } from "../http/api-client.js";
import { nonEmpty, PositionExpiredError, type Feed, type FeedChange, type FeedContext } from "./feed.js";

type GraphTarget = { surface: "graph"; resource: string };

interface DeltaPage {
  value: FeedChange[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

function deltaUrl(target: GraphTarget, context: FeedContext, query: Record<string, string>): string {
  const url = new URL(joinUrl(context.baseUrl, `${target.resource}/delta`));
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}

async function getDelta(context: FeedContext, url: string): Promise<DeltaPage> {
  try {
    return (await context.api.call("GET", url)).json as DeltaPage;
  } catch (error) {
    if (error instanceof HttpError && error.status === 410) throw new PositionExpiredError(error.message);
    throw error;
  }
}

export const graphFeed: Feed<GraphTarget> = {
  resync: "enumerate",

  targetOf(entry) {
    const resource = nonEmpty(entry.resource);
    // Graph may name the resource with or without the leading slash; one spelling, one key.
    return resource
      ? { surface: "graph", resource: resource.startsWith("/") ? resource : `/${resource}` }
      : null;
  },

  async read(target, position, context) {
    const page = await getDelta(
      context,
      position || deltaUrl(target, context, { $top: String(context.pageSize) }),
    );
    const next = page["@odata.nextLink"];
    return {
      changes: page.value,
      position: next ?? page["@odata.deltaLink"] ?? position ?? "",
      more: !!next,
    };
  },

  async latest(target, context) {
    return (await getDelta(context, deltaUrl(target, context, { token: "latest" })))["@odata.deltaLink"];
  },
};
