/**
 * OneNote's naming rules: notebook names up to 128 characters, section names up to 50, neither
 * with any of `? * \ / : < > | & # " % ~`, and unique among their siblings (case-insensitive).
 */
import { NudgeError } from "../../errors.js";

const FORBIDDEN = /[?*\\/:<>|&#"%~]/;
const MAX_LENGTH = { notebook: 128, section: 50 } as const;

export function checkName(kind: "notebook" | "section", name: unknown, field: string): string {
  if (typeof name !== "string" || name.trim() === "")
    throw new NudgeError("invalidRequest", `${field} is required: the ${kind}'s name, a non-empty string.`);
  const trimmed = name.trim();
  if (trimmed.length > MAX_LENGTH[kind])
    throw new NudgeError("invalidRequest", `A ${kind} name is at most ${MAX_LENGTH[kind]} characters.`);
  if (FORBIDDEN.test(trimmed))
    throw new NudgeError("invalidRequest", `A ${kind} name cannot contain any of ? * \\ / : < > | & # " % ~`);
  return trimmed;
}
