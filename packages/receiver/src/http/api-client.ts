/**
 * The receiver's outgoing HTTP calls (change feeds, subscriptions): undici, a bearer token from the
 * caller's provider on every call, a time-out, and an HttpError that keeps the status and body so
 * a feed can tell an expired change token (410) from an outage.
 */
import { request, type Dispatcher } from "undici";

/** Returns the bearer token for a call, or undefined to send none. */
export type TokenSource = () => string | undefined | Promise<string | undefined>;

export interface ApiClientOptions {
  accessToken?: TokenSource;
  /** An undici dispatcher, e.g. an Agent that trusts a self-signed certificate. */
  dispatcher?: Dispatcher;
  timeoutMs?: number;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly method: string,
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${url} answered ${status}${body ? `: ${body.slice(0, 300)}` : ""}`);
  }
}

export class ApiClient {
  constructor(private readonly options: ApiClientOptions = {}) {}

  async call(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    init: { body?: unknown; accept?: string } = {},
  ): Promise<ApiAnswer> {
    const token = await this.options.accessToken?.();
    const headers: Record<string, string> = { accept: init.accept ?? "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    if (init.body !== undefined) headers["content-type"] = "application/json";
    const response = await request(url, {
      method,
      headers,
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      ...(this.options.dispatcher && { dispatcher: this.options.dispatcher }),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
    });
    const text = await response.body.text();
    if (response.statusCode >= 400) throw new HttpError(method, url, response.statusCode, text);
    return { status: response.statusCode, headers: response.headers, text, json: parseJson(text) };
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Joins an API root and a path without doubling or dropping the slash between them. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
