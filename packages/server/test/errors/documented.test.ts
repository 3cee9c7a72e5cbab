import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../../src/errors.js";

const docs = readFileSync(fileURLToPath(new URL("../../../../docs/errors.md", import.meta.url)), "utf8");

/** Rows of the form `| \`code\` | status | when |`. */
const rows = new Map(
  [...docs.matchAll(/^\|\s*`(\w+)`\s*\|\s*(\d{3})\s*\|/gm)].map((match) => [match[1]!, Number(match[2])]),
);

describe("docs/errors.md", () => {
  it.each(Object.entries(errorCodes))("documents %s with its status", (code, { status }) => {
    expect(rows.has(code), `docs/errors.md has no row for ${code}`).toBe(true);
    expect(rows.get(code)).toBe(status);
  });

  it("documents no code that the registry does not have", () => {
    expect([...rows.keys()].filter((code) => !(code in errorCodes))).toEqual([]);
  });
});
