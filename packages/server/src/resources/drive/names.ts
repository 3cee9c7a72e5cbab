/**
 * OneDrive's rules for names: which are allowed, how a clash is settled
 * (`@microsoft.graph.conflictBehavior`: fail, rename, replace), and the MIME type a file gets
 * from its extension, as OneDrive infers it rather than trusting the upload's Content-Type.
 */
import { NudgeError } from "../../errors.js";

export type ConflictBehavior = "fail" | "rename" | "replace";

/** OneDrive refuses these characters anywhere in a name, and control characters. */
const FORBIDDEN = /["*:<>?/\\|]/;
const hasControl = (name: string): boolean => [...name].some((c) => c.charCodeAt(0) < 0x20);

export function checkName(name: unknown, field = "name"): string {
  if (typeof name !== "string" || name.trim() === "") {
    throw new NudgeError("invalidRequest", `${field} must be a non-empty string.`);
  }
  if (FORBIDDEN.test(name) || hasControl(name) || name === "." || name === ".." || name.length > 255) {
    throw new NudgeError(
      "invalidRequest",
      `The name '${name}' is not valid: names may not contain " * : < > ? / \\ | and are at most 255 characters.`,
    );
  }
  if (/[. ]$/.test(name) || /^ /.test(name)) {
    throw new NudgeError(
      "invalidRequest",
      `The name '${name}' may not start with a space or end with a dot or space.`,
    );
  }
  return name;
}

export function checkConflictBehavior(value: unknown, fallback: ConflictBehavior): ConflictBehavior {
  if (value === undefined || value === null || value === "") return fallback;
  if (value === "fail" || value === "rename" || value === "replace") return value;
  throw new NudgeError(
    "invalidRequest",
    `@microsoft.graph.conflictBehavior must be fail, rename or replace, not '${String(value)}'.`,
  );
}

export function nameClash(name: string): NudgeError {
  return new NudgeError("nameAlreadyExists", `An item named '${name}' already exists in this folder.`);
}

/** `report.txt` → `report 1.txt`, `report 2.txt` … the first name `taken` does not know. */
export function freeName(name: string, taken: (candidate: string) => boolean): string {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  for (let n = 1; ; n++) {
    const candidate = `${stem} ${n}${ext}`;
    if (!taken(candidate)) return candidate;
  }
}

const mimeTypes: Record<string, string> = {
  txt: "text/plain",
  md: "text/markdown",
  csv: "text/csv",
  html: "text/html",
  htm: "text/html",
  css: "text/css",
  js: "application/javascript",
  json: "application/json",
  xml: "application/xml",
  pdf: "application/pdf",
  zip: "application/zip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
  mp3: "audio/mpeg",
  mp4: "video/mp4",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
};

export function mimeTypeOf(name: string): string {
  const ext = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  return mimeTypes[ext] ?? "application/octet-stream";
}
