/**
 * SharePoint list changes: `POST {site}/_api/web/lists('{id}')/getchanges` with an SP.ChangeQuery.
 * Each SP.ChangeItem carries its own ChangeToken; the last one of a page is where the next page
 * (ChangeTokenStart) starts, and a page shorter than FetchLimit is the last. An expired token is
 * SPInvalidChangeTokenException (Nudge: 410): jump to the list's CurrentChangeToken and let the callback re-read
 * the list.
 */
import { HttpError, joinUrl } from "../http/api-client.js";
import { nonEmpty, PositionExpiredError, type Feed, type FeedChange, type FeedContext } from "./feed.js";

type SharePointTarget = { surface: "sharepoint"; siteUrl: string; list: string };

/** Every kind of item change SharePoint lists: add, update, delete, rename, move. */
const ITEM_CHANGES = { Add: true, Update: true, DeleteObject: true, Rename: true, Move: true, Item: true };

const NOMETADATA = "application/json;odata=nometadata";

function listUrl(target: SharePointTarget, context: FeedContext): string {
  const site = target.siteUrl === "/" ? "" : target.siteUrl;
  return joinUrl(context.baseUrl, `${site}/_api/web/lists('${encodeURIComponent(target.list)}')`);
}

async function getChanges(
  target: SharePointTarget,
  context: FeedContext,
  query: Record<string, unknown>,
): Promise<FeedChange[]> {
  try {
    const answer = await context.api.call("POST", `${listUrl(target, context)}/getchanges`, {
      body: { query: { ...ITEM_CHANGES, ...query } },
      // No OData annotations: `{"value":[…]}` with the fields alone.
      accept: NOMETADATA,
    });
    return (answer.json as { value: FeedChange[] }).value;
  } catch (error) {
    if (error instanceof HttpError && isExpiredToken(error)) throw new PositionExpiredError(error.message);
    throw error;
  }
}

/** Nudge answers 410; SharePoint Online names the exception (and has used other statuses for it). */
function isExpiredToken(error: HttpError): boolean {
  return error.status === 410 || error.body.includes("SPInvalidChangeTokenException");
}

/** `ChangeToken` of a change, or `CurrentChangeToken` of a list. */
function tokenOf(entity: FeedChange | undefined): string | undefined {
  const token = (entity?.ChangeToken ?? entity?.CurrentChangeToken) as { StringValue?: unknown } | undefined;
  return nonEmpty(token?.StringValue);
}

export const sharePointFeed: Feed<SharePointTarget> = {
  resync: "latest",

  targetOf(entry) {
    const list = nonEmpty(entry.resource);
    if (!list) return null;
    return { surface: "sharepoint", siteUrl: nonEmpty(entry.siteUrl) ?? "/", list };
  },

  async read(target, position, context) {
    const changes = await getChanges(target, context, {
      FetchLimit: context.pageSize,
      ...(position && { ChangeTokenStart: { StringValue: position } }),
    });
    return {
      changes,
      position: tokenOf(changes.at(-1)) ?? position ?? "",
      more: changes.length >= context.pageSize,
    };
  },

  async latest(target, context) {
    // SP.List.CurrentChangeToken is "now", even for a list whose changes were all pruned.
    const list = await context.api.call("GET", `${listUrl(target, context)}?$select=CurrentChangeToken`, {
      accept: NOMETADATA,
    });
    const current = tokenOf(list.json as FeedChange);
    if (current) return current;
    const [newest] = await getChanges(target, context, { LatestFirst: true, FetchLimit: 1 });
    return tokenOf(newest);
  },
};
