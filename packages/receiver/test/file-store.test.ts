import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FileTokenStore } from "../src/store/file-store.js";

describe("FileTokenStore", () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps every position when several feeds store theirs at once", async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-store-"));
    const store = new FileTokenStore(join(dir, "nested", "tokens.json"));
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`feed-${i}`, `token-${i}`)));
    const reopened = new FileTokenStore(join(dir, "nested", "tokens.json"));
    for (let i = 0; i < 20; i++) expect(await reopened.get(`feed-${i}`)).toBe(`token-${i}`);
  });

  it("replaces the file whole by rename, leaving no temporary file, readable only by its owner", async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-store-"));
    const path = join(dir, "tokens.json");
    const store = new FileTokenStore(path);
    await store.set("a", "1");
    await store.set("a", "2");
    expect(readdirSync(dir)).toEqual(["tokens.json"]);
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ a: "2" });
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("answers undefined for a feed it has never stored, before the file exists", async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-store-"));
    expect(await new FileTokenStore(join(dir, "tokens.json")).get("nothing")).toBeUndefined();
  });
});
