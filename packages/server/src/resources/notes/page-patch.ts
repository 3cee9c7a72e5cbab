/**
 * OneNote's page PATCH: a JSON array of commands `{target, action, position?, content}`. Nudge
 * applies the ones that change a page as a whole — `body` (append, prepend, replace; `append` with
 * `position: "before"` adds at the start, as OneNote does) and `title` (replace) — and refuses the
 * rest with a message that says so, rather than pretending to have changed an element it cannot find.
 */
import { NudgeError } from "../../errors.js";
import { textOf, type PageParts } from "./page-html.js";

export interface PatchCommand {
  target: string;
  action: string;
  position?: string;
  content: string;
}

/** Checks the commands' shape; nothing is applied unless every command is understood. */
export function parsePatchCommands(input: unknown): PatchCommand[] {
  const list = Array.isArray(input) ? input : input && typeof input === "object" ? [input] : undefined;
  if (!list || list.length === 0)
    throw new NudgeError("invalidRequest", "The body must be a JSON array of patch commands.");
  return list.map((raw: unknown, n) => {
    const at = `Patch command ${n + 1}`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw))
      throw new NudgeError("invalidRequest", `${at} must be an object with target, action and content.`);
    const { target, action, position, content } = raw as Record<string, unknown>;
    if (typeof target !== "string" || target === "")
      throw new NudgeError("invalidRequest", `${at}: target is required.`);
    if (typeof action !== "string" || action === "")
      throw new NudgeError("invalidRequest", `${at}: action is required.`);
    if (typeof content !== "string")
      throw new NudgeError("invalidRequest", `${at}: content must be a string.`);
    if (position !== undefined && position !== "after" && position !== "before")
      throw new NudgeError("invalidRequest", `${at}: position must be "after" or "before".`);
    checkSupported(target.toLowerCase(), action.toLowerCase(), at);
    return {
      target: target.toLowerCase(),
      action: action.toLowerCase(),
      content,
      ...(position !== undefined && { position }),
    };
  });
}

function checkSupported(target: string, action: string, at: string): void {
  if (target === "body") {
    if (["append", "prepend", "replace"].includes(action)) return;
    if (action === "insert")
      throw new NudgeError(
        "invalidRequest",
        `${at}: insert needs an element target; Nudge patches only body and title.`,
      );
  } else if (target === "title") {
    if (action === "replace") return;
    throw new NudgeError("invalidRequest", `${at}: the title can only be replaced.`);
  } else {
    throw new NudgeError(
      "invalidRequest",
      `${at}: target '${target}' is not supported; Nudge patches 'body' and 'title'.`,
    );
  }
  throw new NudgeError("invalidRequest", `${at}: action '${action}' is not one of append, prepend, replace.`);
}

export function applyPatch(page: PageParts, commands: PatchCommand[]): PageParts {
  let { title, body } = page;
  for (const command of commands) {
    if (command.target === "title") {
      title = textOf(command.content);
    } else if (command.action === "replace") {
      body = command.content;
    } else if (command.action === "prepend" || command.position === "before") {
      body = command.content + body;
    } else {
      body = body + command.content;
    }
  }
  return { title, body };
}
