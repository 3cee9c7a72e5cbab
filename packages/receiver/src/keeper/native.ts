/** Native subscriptions: `/v1/subscriptions` (list by `?resource=`, POST, PATCH, DELETE). */
import { joinUrl } from "../http/api-client.js";
import { kept, unlessGone, type SubscriptionApi, type SubscriptionApiOptions } from "./subscription-api.js";

export function nativeSubscriptions({ api, baseUrl, resource }: SubscriptionApiOptions): SubscriptionApi {
  const url = (path: string) => joinUrl(baseUrl, `/v1/subscriptions${path}`);
  const one = (id: string) => url(`/${encodeURIComponent(id)}`);
  return {
    target: { surface: "native", resource },
    async list() {
      const answer = await api.call("GET", url(`?resource=${encodeURIComponent(resource)}`));
      return (answer.json as { value: unknown[] }).value.map(kept);
    },
    get: (id) => unlessGone(async () => kept((await api.call("GET", one(id))).json)),
    async create(request) {
      const { lifecycleNotificationUrl: _unused, ...body } = request;
      return kept((await api.call("POST", url(""), { body: { resource, ...body } })).json);
    },
    renew: (id, expirationDateTime) =>
      unlessGone(async () => kept((await api.call("PATCH", one(id), { body: { expirationDateTime } })).json)),
    async remove(id) {
      await unlessGone(() => api.call("DELETE", one(id)));
    },
  };
}
