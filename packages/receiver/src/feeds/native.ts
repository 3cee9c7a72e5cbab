/**
 * Nudge's own feed: `GET /v1/resources/{id}/changes?token=&limit=` answers
 * `{value, token, hasMore}`; the token of a page is positioned after its last change, so following
 * tokens yields every change once. A token from before the pruned journal is a 410
 * (`changeTokenExpired`): jump to `token=latest` and let the callback re-read its own state.
 */
import { HttpError, joinUrl } from "../http/api-client.js";
import { nonEmpty, PositionExpiredError, type Feed, type FeedChange, type FeedContext } from "./feed.js";

type NativeTarget = { surface: "native"; resource: string };

interface NativePage {
  value: FeedChange[];
  token: string;
  hasMore: boolean;
}

function changesUrl(target: NativeTarget, context: FeedContext, query: Record<string, string>): string {
  const url = new URL(
    joinUrl(context.baseUrl, `/v1/resources/${encodeURIComponent(target.resource)}/changes`),
  );
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url.href;
}

export const nativeFeed: Feed<NativeTarget> = {
  resync: "latest",

  targetOf(entry) {
    const resource = nonEmpty(entry.resource);
    return resource ? { surface: "native", resource } : null;
  },

  async read(target, position, context) {
    const query: Record<string, string> = { limit: String(context.pageSize) };
    if (position) query.token = position;
    try {
      const answer = await context.api.call("GET", changesUrl(target, context, query));
      const page = answer.json as NativePage;
      return { changes: page.value, position: page.token, more: page.hasMore };
    } catch (error) {
      if (error instanceof HttpError && error.status === 410) throw new PositionExpiredError(error.message);
      throw error;
    }
  },

  async latest(target, context) {
    const answer = await context.api.call("GET", changesUrl(target, context, { token: "latest" }));
    return (answer.json as NativePage).token;
  },
};
