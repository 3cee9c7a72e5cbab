/**
 * SharePoint list subscriptions: `{site}/_api/web/lists('{id}')/subscriptions`. The list may be
 * named by GUID or by title (resolved once to its id, which notifications carry as `resource`).
 * PATCH answers 204 with no body, so a renewal reads the subscription back.
 */
import { joinUrl, type ApiClient } from "../http/api-client.js";
import { kept, unlessGone, type SubscriptionApi, type SubscriptionApiOptions } from "./subscription-api.js";

const NOMETADATA = "application/json;odata=nometadata";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `/sites/dev` as given, `/` for the root site; no trailing slash. */
export function sitePath(site: string | undefined): string {
  const path = `/${(site ?? "/").replace(/^\/+|\/+$/g, "")}`;
  return path === "/" ? "/" : path;
}

/** An OData string literal: apostrophes doubled, then percent-encoded. */
const literal = (text: string) => `'${encodeURIComponent(text.replace(/'/g, "''"))}'`;

async function listIdOf(api: ApiClient, webUrl: string, list: string): Promise<string> {
  if (GUID.test(list)) return list.toLowerCase();
  const answer = await api.call("GET", `${webUrl}/lists/getByTitle(${literal(list)})?$select=Id`, {
    accept: NOMETADATA,
  });
  return String((answer.json as { Id: unknown }).Id).toLowerCase();
}

export async function sharePointSubscriptions(options: SubscriptionApiOptions): Promise<SubscriptionApi> {
  const { api, baseUrl, resource } = options;
  const site = sitePath(options.site);
  const webUrl = joinUrl(baseUrl, `${site === "/" ? "" : site}/_api/web`);
  const listId = await listIdOf(api, webUrl, resource);
  const listUrl = `${webUrl}/lists('${listId}')`;
  const url = (suffix: string) => `${listUrl}/subscriptions${suffix}`;
  const one = (id: string) => url(`('${encodeURIComponent(id)}')`);
  const call = (method: "GET" | "POST" | "PATCH" | "DELETE", target: string, body?: unknown) =>
    api.call(method, target, { accept: NOMETADATA, ...(body !== undefined && { body }) });
  const get = (id: string) => unlessGone(async () => kept((await call("GET", one(id))).json));
  return {
    target: { surface: "sharepoint", siteUrl: site, list: listId },
    async list() {
      return ((await call("GET", url(""))).json as { value: unknown[] }).value.map(kept);
    },
    get,
    async create(request) {
      const { lifecycleNotificationUrl: _unused, ...body } = request;
      return kept((await call("POST", url(""), { resource: listUrl, ...body })).json);
    },
    async renew(id, expirationDateTime) {
      const renewed = await unlessGone(() => call("PATCH", one(id), { expirationDateTime }));
      return renewed === null ? null : get(id);
    },
    async remove(id) {
      await unlessGone(() => call("DELETE", one(id)));
    },
  };
}
