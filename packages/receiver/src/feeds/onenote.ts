/**
 * OneNote's change query: `GET /me/notes/pages?filter=lastModifiedTime ge {stored}`, as OneNote's
 * webhook documentation prescribes, with the newest `lastModifiedTime` seen kept as the position.
 *
 * `ge` returns the boundary again (pages modified at exactly the stored time), so the position
 * also keeps the ids seen at that time, and a page comes back only with a newer lastModifiedTime.
 * Pages are read oldest first and the filter moves up after each page (keyset paging), so a page
 * changed while a sync runs cannot shift another out of sight. Only when more pages share one
 * timestamp than fit in a page (possible with a fake clock) does the read step through them by
 * `skip`, as the `@odata.nextLink` would.
 */
import { joinUrl } from "../http/api-client.js";
import { nonEmpty, type Feed, type FeedChange, type FeedContext } from "./feed.js";

type OneNoteTarget = { surface: "onenote"; userId: string };

/** What the store keeps for a user's notebooks. */
interface OneNotePosition {
  /** The newest lastModifiedTime seen, as OneNote wrote it. */
  since?: string;
  /** Ids of the pages seen with exactly that lastModifiedTime. */
  seen: string[];
  /** Pages of the `since` tie already stepped over by skip (0 unless a tie outgrows a page). */
  skip: number;
}

interface PagesAnswer {
  value: FeedChange[];
  "@odata.nextLink"?: string;
}

async function pages(context: FeedContext, query: Record<string, string>): Promise<PagesAnswer> {
  // The notification names the user; the access token for that user makes `me` that user.
  const url = new URL(joinUrl(context.baseUrl, "/me/notes/pages"));
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return (await context.api.call("GET", url.href)).json as PagesAnswer;
}

function timeOf(page: FeedChange): string {
  return String(page.lastModifiedTime);
}

function sameTime(a: string, b: string | undefined): boolean {
  return b !== undefined && Date.parse(a) === Date.parse(b);
}

function parsePosition(position: string | undefined): OneNotePosition {
  if (!position) return { seen: [], skip: 0 };
  const parsed = JSON.parse(position) as Partial<OneNotePosition>;
  return { since: parsed.since, seen: parsed.seen ?? [], skip: parsed.skip ?? 0 };
}

/** The position after a page: the newest time in it, and every id seen at that time. */
function advance(position: OneNotePosition, page: FeedChange[]): Omit<OneNotePosition, "skip"> {
  let { since, seen } = position;
  for (const item of page) {
    const time = timeOf(item);
    if (since === undefined || Date.parse(time) > Date.parse(since)) {
      since = time;
      seen = [];
    }
    if (sameTime(time, since) && !seen.includes(String(item.id))) seen = [...seen, String(item.id)];
  }
  return { since, seen };
}

export const oneNoteFeed: Feed<OneNoteTarget> = {
  resync: "enumerate",

  targetOf(entry) {
    const userId = nonEmpty(entry.userId);
    return userId ? { surface: "onenote", userId } : null;
  },

  async read(_target, position, context) {
    const from = parsePosition(position);
    const answer = await pages(context, {
      orderby: "lastModifiedTime asc",
      top: String(context.pageSize),
      ...(from.since && { filter: `lastModifiedTime ge ${from.since}` }),
      ...(from.skip > 0 && { skip: String(from.skip) }),
    });
    const fresh = answer.value.filter(
      (page) => !(sameTime(timeOf(page), from.since) && from.seen.includes(String(page.id))),
    );
    const more = !!answer["@odata.nextLink"];
    const next = advance(from, answer.value);
    // A whole page at the stored time: a tie larger than a page; step through it by skip.
    const skip = more && next.since === from.since ? from.skip + answer.value.length : 0;
    return { changes: fresh, position: JSON.stringify({ ...next, skip }), more };
  },

  async latest(_target, context) {
    const [newest] = (await pages(context, { orderby: "lastModifiedTime desc", top: "1" })).value;
    if (!newest) return undefined;
    let position: OneNotePosition = { since: timeOf(newest), seen: [], skip: 0 };
    // Every page at that time counts as seen; later ones (made meanwhile) stay to be delivered.
    for (let skip = 0; ;) {
      const answer = await pages(context, {
        filter: `lastModifiedTime eq ${position.since}`,
        top: String(context.pageSize),
        ...(skip > 0 && { skip: String(skip) }),
      });
      position = { ...advance(position, answer.value), skip: 0 };
      if (!answer["@odata.nextLink"]) return JSON.stringify(position);
      skip += answer.value.length;
    }
  },
};
