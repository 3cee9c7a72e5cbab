/**
 * A tiny JSON client over real HTTP for the native and admin API tests, plus the steps most of
 * them start with (an external resource, a subscription on it).
 */
import type { TestNudge } from "@nudge/test-support";

export interface ApiResponse {
  status: number;
  headers: Headers;
  // Bodies are checked with expect(); typing every wire shape here would add nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface Api {
  get(path: string): Promise<ApiResponse>;
  post(path: string, body?: unknown): Promise<ApiResponse>;
  patch(path: string, body?: unknown): Promise<ApiResponse>;
  delete(path: string): Promise<ApiResponse>;
}

/** Calls `baseUrl + path` with the given headers; bodies go out and come back as JSON. */
export function apiClient(baseUrl: string, headers: Record<string, string> = {}): Api {
  const call = async (method: string, path: string, body?: unknown): Promise<ApiResponse> => {
    const response = await fetch(baseUrl + path, {
      method,
      headers: { ...headers, ...(body !== undefined && { "content-type": "application/json" }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  return {
    get: (path) => call("GET", path),
    post: (path, body) => call("POST", path, body),
    patch: (path, body) => call("PATCH", path, body),
    delete: (path) => call("DELETE", path),
  };
}

/** Clients for the demo users and the admin. */
export function clientsOf(t: TestNudge): { alice: Api; bob: Api; admin: Api } {
  return {
    alice: apiClient(t.url, t.auth.alice),
    bob: apiClient(t.url, t.auth.bob),
    admin: apiClient(t.url, { authorization: `Bearer ${t.adminToken}` }),
  };
}

/** Registers an external resource and returns its id. */
export async function createResource(api: Api, title = "Orders"): Promise<string> {
  const created = await api.post("/v1/resources", { title });
  if (created.status !== 201) throw new Error(`could not create a resource: ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

/** Subscribes to a resource and returns the subscription as the API shows it. */
export async function subscribe(
  api: Api,
  resource: string,
  notificationUrl: string,
  extra: Record<string, unknown> = {},
): Promise<ApiResponse["body"]> {
  const created = await api.post("/v1/subscriptions", { resource, notificationUrl, ...extra });
  if (created.status !== 201) throw new Error(`could not subscribe: ${JSON.stringify(created.body)}`);
  return created.body;
}

export function changesOf(...items: string[]): { changes: Array<{ item: string; kind: string }> } {
  return { changes: items.map((item) => ({ item, kind: "update" })) };
}
