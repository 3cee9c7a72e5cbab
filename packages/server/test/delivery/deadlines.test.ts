import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { DeadlineExceeded, Deadlines } from "../../src/delivery/deadlines.js";

describe("shared delivery deadlines", () => {
  it("aborts a POST's signal once its time-out has passed", async () => {
    const deadlines = new Deadlines();
    const started = performance.now();
    const deadline = deadlines.after(30);
    await once(deadline.signal, "abort");
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(deadline.signal.reason).toBeInstanceOf(DeadlineExceeded);
    expect(deadlines.pending).toBe(0);
  });

  it("never aborts a deadline that was cleared, even after a later one has passed", async () => {
    const deadlines = new Deadlines();
    const cleared = deadlines.after(10);
    cleared.clear();
    const later = deadlines.after(40);
    await once(later.signal, "abort");
    expect(cleared.signal.aborted).toBe(false);
    expect(deadlines.pending).toBe(0);
  });

  it("keeps many deadlines in few buckets and aborts each once", async () => {
    const deadlines = new Deadlines();
    const many = Array.from({ length: 1000 }, () => deadlines.after(20));
    expect(deadlines.pending).toBe(1000);
    await Promise.all(many.map((d) => once(d.signal, "abort")));
    expect(many.every((d) => d.signal.aborted)).toBe(true);
    expect(deadlines.pending).toBe(0);
  });
});
