/** A small HTTP client for the drive surfaces in tests: real requests to a test Nudge with a user's token. */
import type { TestNudge } from "@nudge/test-support";

export interface DriveResponse {
  status: number;
  headers: Headers;
  text: string;
  // Tests read whichever fields they check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface DriveClient {
  get(path: string): Promise<DriveResponse>;
  /** PUT raw bytes (an upload); text/plain unless told. */
  put(path: string, body: string | Buffer, contentType?: string): Promise<DriveResponse>;
  post(path: string, body: unknown): Promise<DriveResponse>;
  patch(path: string, body: unknown): Promise<DriveResponse>;
  delete(path: string): Promise<DriveResponse>;
}

/** A client for a demo user, the admin (for grants and app webhooks) or nobody (no token). */
export function driveClient(t: TestNudge, who: "alice" | "bob" | "admin" | "anonymous"): DriveClient {
  const auth =
    who === "admin" ? { authorization: `Bearer ${t.adminToken}` } : who === "anonymous" ? {} : t.auth[who];
  const call = async (
    method: string,
    path: string,
    body?: string | Buffer,
    contentType?: string,
  ): Promise<DriveResponse> => {
    const url = path.startsWith("http") ? path : `${t.url}${path}`;
    const response = await fetch(url, {
      method,
      headers: { ...auth, ...(contentType && { "content-type": contentType }) },
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
  };
  return {
    get: (path) => call("GET", path),
    put: (path, body, contentType = "text/plain") => call("PUT", path, body, contentType),
    post: (path, body) => call("POST", path, JSON.stringify(body), "application/json"),
    patch: (path, body) => call("PATCH", path, JSON.stringify(body), "application/json"),
    delete: (path) => call("DELETE", path),
  };
}
