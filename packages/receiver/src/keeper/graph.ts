/**
 * Graph subscriptions: `/subscriptions` on a drive root (`changeType: updated`). Lists show only
 * the caller's app's subscriptions for the same user, with clientState null; PATCH takes only
 * `expirationDateTime`.
 */
import { joinUrl } from "../http/api-client.js";
import { kept, unlessGone, type SubscriptionApi, type SubscriptionApiOptions } from "./subscription-api.js";

/** Graph echoes the resource as the client named it; compare without the leading slash. */
const sameResource = (a: unknown, b: string) => String(a).replace(/^\//, "") === b.replace(/^\//, "");

export function graphSubscriptions({ api, baseUrl, resource }: SubscriptionApiOptions): SubscriptionApi {
  const path = resource.startsWith("/") ? resource : `/${resource}`;
  const url = (suffix: string) => joinUrl(baseUrl, `/subscriptions${suffix}`);
  const one = (id: string) => url(`/${encodeURIComponent(id)}`);
  return {
    target: { surface: "graph", resource: path },
    async list() {
      const value = ((await api.call("GET", url(""))).json as { value: Array<Record<string, unknown>> })
        .value;
      return value.filter((s) => sameResource(s.resource, path)).map(kept);
    },
    get: (id) => unlessGone(async () => kept((await api.call("GET", one(id))).json)),
    async create(request) {
      const body = { changeType: "updated", resource: path, ...request };
      return kept((await api.call("POST", url(""), { body })).json);
    },
    renew: (id, expirationDateTime) =>
      unlessGone(async () => kept((await api.call("PATCH", one(id), { body: { expirationDateTime } })).json)),
    async remove(id) {
      await unlessGone(() => api.call("DELETE", one(id)));
    },
  };
}
