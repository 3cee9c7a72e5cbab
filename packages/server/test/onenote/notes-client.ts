/**
 * A OneNote client for the tests: real HTTP (global fetch) against a test Nudge, for the old API
 * (`/api/v1.0/me/notes`) or Graph (`/v1.0/me/onenote`), answering `{status, headers, text, json}`
 * so a test can check the exact wire result — headers included, errors included.
 */
import type { TestNudge } from "@nudge/test-support";

export interface NotesResponse {
  status: number;
  headers: Headers;
  text: string;
  // Wire JSON is checked with expect(); typing every shape here would add nothing.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export interface CallOptions {
  /** JSON body, or a string sent with `contentType` (default text/html). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export class NotesClient {
  constructor(
    /** e.g. `http://127.0.0.1:1234/api/v1.0/me/notes` */
    readonly root: string,
    readonly auth: Record<string, string>,
  ) {}

  /** The old OneNote API as a demo user; `of` another user's notebooks (`/users/{id}/notes`). */
  static oneNote(t: TestNudge, user: "alice" | "bob" = "alice", of?: string): NotesClient {
    return new NotesClient(`${t.url}/api/v1.0/${of ? `users/${of}` : "me"}/notes`, t.auth[user]);
  }

  static graph(t: TestNudge, user: "alice" | "bob" = "alice", of?: string): NotesClient {
    return new NotesClient(`${t.url}/v1.0/${of ? `users/${of}` : "me"}/onenote`, t.auth[user]);
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<NotesResponse> {
    const { body } = options;
    const headers: Record<string, string> = { ...this.auth, ...options.headers };
    let payload: string | undefined;
    if (typeof body === "string") {
      headers["content-type"] = options.contentType ?? "text/html";
      payload = body;
    } else if (body !== undefined) {
      headers["content-type"] = options.contentType ?? "application/json";
      payload = JSON.stringify(body);
    }
    const url = path.startsWith("http") ? path : this.root + path;
    const response = await fetch(url, { method, headers, ...(payload !== undefined && { body: payload }) });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  get(path: string): Promise<NotesResponse> {
    return this.call("GET", path);
  }

  post(path: string, body?: unknown, contentType?: string): Promise<NotesResponse> {
    return this.call("POST", path, { body, ...(contentType && { contentType }) });
  }

  patch(path: string, body?: unknown): Promise<NotesResponse> {
    return this.call("PATCH", path, { body });
  }

  delete(path: string): Promise<NotesResponse> {
    return this.call("DELETE", path);
  }

  /** A notebook with a section, ready for pages (old-API or Graph spelling, by the root). */
  async notebookWithSection(
    notebook = "Work",
    section = "Meetings",
  ): Promise<{ notebookId: string; sectionId: string }> {
    const field = this.root.includes("/onenote") ? "displayName" : "name";
    const nb = await this.post("/notebooks", { [field]: notebook });
    if (nb.status !== 201) throw new Error(`notebook: ${nb.status} ${nb.text}`);
    const sec = await this.post(`/notebooks/${nb.json.id}/sections`, { [field]: section });
    if (sec.status !== 201) throw new Error(`section: ${sec.status} ${sec.text}`);
    return { notebookId: nb.json.id as string, sectionId: sec.json.id as string };
  }

  /** Creates a page from an HTML document and returns its id. */
  async addPage(sectionId: string, title: string, body = "<p>Hello</p>"): Promise<string> {
    const page = await this.post(`/sections/${sectionId}/pages`, pageHtml(title, body));
    if (page.status !== 201) throw new Error(`page: ${page.status} ${page.text}`);
    return page.json.id as string;
  }
}

export function pageHtml(title: string, body: string): string {
  return `<!DOCTYPE html><html><head><title>${title}</title><meta name="created" content="2024-01-01T08:00:00Z" /></head><body>${body}</body></html>`;
}
