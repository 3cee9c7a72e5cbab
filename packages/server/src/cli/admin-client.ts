/**
 * The HTTP client behind `nudge admin ...`: calls the admin API of a running server with the admin
 * token, and turns its `{"error":{code,message}}` answers into CLI errors.
 */
import { request } from "undici";
import { CliError, usageError } from "./exit.js";

export interface AdminConnection {
  server: string;
  adminToken?: string | undefined;
}

export class AdminClient {
  readonly #base: string;
  readonly #token: string;

  constructor(connection: AdminConnection) {
    if (!connection.adminToken) {
      throw usageError("no admin token: pass --admin-token or set NUDGE_ADMIN_TOKEN");
    }
    let base: URL;
    try {
      base = new URL(connection.server);
    } catch {
      throw usageError(`--server: '${connection.server}' is not a URL`);
    }
    this.#base = base.href.replace(/\/+$/, "");
    this.#token = connection.adminToken;
  }

  get<T>(path: string): Promise<T> {
    return this.#call<T>("GET", path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.#call<T>("POST", path, body);
  }

  async #call<T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> {
    const url = `${this.#base}/admin${path}`;
    let response;
    try {
      response = await request(url, {
        method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(body !== undefined && { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      const e = error as { code?: string; message?: string };
      throw new CliError(`cannot reach ${this.#base}: ${e.code ?? e.message ?? String(error)}`);
    }
    const text = await response.body.text();
    const json = parse(text);
    if (response.statusCode >= 400) {
      const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const detail = err ? `${err.code ?? "error"}: ${err.message ?? ""}` : text.slice(0, 200) || "(no body)";
      throw new CliError(`${method} ${url} failed with ${response.statusCode}: ${detail}`);
    }
    return json as T;
  }
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
