import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { environmentVariables } from "../../src/config/load.js";

const docs = readFileSync(
  fileURLToPath(new URL("../../../../docs/configuration.md", import.meta.url)),
  "utf8",
);

/** Rows of the settings table: `| \`setting\` | \`NUDGE_…\` | default | meaning |`. */
const rows = new Map(
  [...docs.matchAll(/^\|\s*`([\w.]+)`\s*\|\s*`(NUDGE_\w+)`/gm)].map((match) => [match[2]!, match[1]!]),
);

describe("docs/configuration.md", () => {
  it.each(Object.entries(environmentVariables))("documents %s as the variable of %s", (variable, setting) => {
    expect(rows.get(variable), `docs/configuration.md has no row for ${variable}`).toBe(setting);
  });
});
