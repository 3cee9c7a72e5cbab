/**
 * Small files, one idea each: a file in `src/` over 250 lines must say at its top why it is one
 * file (a line `Longer than 250 lines: …` in its first comment), so growth is a decision, not drift.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
const LIMIT = 250;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("file sizes", () => {
  it(`gives a reason at the top of every file in src over ${LIMIT} lines`, () => {
    const unexplained = sourceFiles(src).flatMap((file) => {
      const text = readFileSync(file, "utf8");
      const lines = text.split("\n").length;
      const head = /^\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? "";
      return lines > LIMIT && !/Longer than 250 lines: \S/.test(head)
        ? [`${relative(src, file)} (${lines})`]
        : [];
    });
    expect(unexplained).toEqual([]);
  });
});
