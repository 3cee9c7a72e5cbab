/**
 * A small SharePoint REST client for the tests: real HTTP (global fetch) against a test Nudge,
 * answering `{status, headers, text, json}` so each test can check the exact wire result.
 */
import type { TestNudge } from "@nudge/test-support";

export const ACCEPT = {
  nometadata: "application/json;odata=nometadata",
  minimalmetadata: "application/json;odata=minimalmetadata",
  json: "application/json",
  verbose: "application/json;odata=verbose",
} as const;

export interface SpResponse {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary wire JSON
  json: any;
}

export interface SpCallOptions {
  body?: unknown;
  /** A raw body, sent as is (malformed JSON, huge bodies). */
  rawBody?: string;
  headers?: Record<string, string>;
  accept?: string;
}

export class SpClient {
  constructor(
    /** Site URL, e.g. `http://127.0.0.1:1234/sites/dev`. */
    readonly siteUrl: string,
    readonly auth: Record<string, string>,
    readonly accept: string = ACCEPT.nometadata,
  ) {}

  static for(t: TestNudge, user: "alice" | "bob" = "alice", site = "/sites/dev"): SpClient {
    return new SpClient(`${t.url}${site === "/" ? "" : site}`, t.auth[user]);
  }

  as(auth: Record<string, string>): SpClient {
    return new SpClient(this.siteUrl, auth, this.accept);
  }

  async call(method: string, path: string, options: SpCallOptions = {}): Promise<SpResponse> {
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${this.siteUrl}/_api/${path}`, {
      method,
      headers: {
        ...this.auth,
        accept: options.accept ?? this.accept,
        ...(body !== undefined && { "content-type": "application/json;charset=utf-8" }),
        ...options.headers,
      },
      ...(body !== undefined && { body }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  get(path: string, options: SpCallOptions = {}): Promise<SpResponse> {
    return this.call("GET", path, options);
  }

  post(path: string, body: unknown, options: SpCallOptions = {}): Promise<SpResponse> {
    return this.call("POST", path, { ...options, body });
  }

  async createList(title = "Docs"): Promise<string> {
    const res = await this.post("web/lists", { Title: title, BaseTemplate: 100 });
    if (res.status !== 201) throw new Error(`list not created: ${res.status} ${res.text}`);
    return res.json.Id as string;
  }

  async addItem(listId: string, fields: Record<string, unknown> = { Title: "x" }): Promise<number> {
    const res = await this.post(`web/lists('${listId}')/items`, fields);
    if (res.status !== 201) throw new Error(`item not added: ${res.status} ${res.text}`);
    return res.json.Id as number;
  }

  subscribe(listId: string, body: Record<string, unknown>, options: SpCallOptions = {}): Promise<SpResponse> {
    return this.post(`web/lists('${listId}')/subscriptions`, body, options);
  }

  async subscriptionIds(listId: string): Promise<string[]> {
    const res = await this.get(`web/lists('${listId}')/subscriptions`);
    if (res.status !== 200) throw new Error(`subscriptions not listed: ${res.status} ${res.text}`);
    return (res.json.value as Array<{ id: string }>).map((s) => s.id);
  }

  getChanges(
    listId: string,
    query: Record<string, unknown>,
    options: SpCallOptions = {},
  ): Promise<SpResponse> {
    return this.post(`web/lists('${listId}')/getchanges`, { query }, options);
  }
}
