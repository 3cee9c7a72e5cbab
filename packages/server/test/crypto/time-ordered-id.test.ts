import { describe, expect, it } from "vitest";
import { timeOrderedId } from "../../src/crypto/time-ordered-id.js";

describe("time-ordered ids (UUID version 7)", () => {
  it("are RFC 9562 version 7 UUIDs carrying their millisecond", () => {
    const at = Date.UTC(2026, 11, 3, 8, 0, 0, 123);
    const id = timeOrderedId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });

  it("sort by creation time and never repeat", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => timeOrderedId(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => timeOrderedId())).size).toBe(10_000);
  });
});
