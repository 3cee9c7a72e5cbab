import { describe, expect, it } from "vitest";
import type { Batch } from "../../src/delivery/batch-plan.js";
import { InFlight } from "../../src/delivery/in-flight.js";

const batch = (url: string, id: number) => ({ kind: "change", url, marks: [{ id }] }) as unknown as Batch;

describe("the POSTs in flight and the slow lane", () => {
  it("stops counting a POST toward the node's cap once it is slow, and forgets it when it settles", async () => {
    const inFlight = new InFlight({ globalConcurrency: 2, slowAfterMs: 20 });
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    let settled!: () => void;
    const holeDone = new Promise<void>((resolve) => (settled = resolve));
    const slow = new Promise<void>((onSlow) =>
      inFlight.add(batch("http://hole:1/a", 1), () => answered, { onSlow, onDone: settled }),
    );
    expect(inFlight.capacity).toBe(1);
    expect(inFlight.byEndpoint.get("http://hole:1")).toBe(1);
    expect(inFlight.marks.has(1)).toBe(true);
    await slow;
    expect(inFlight.counted).toBe(0);
    expect(inFlight.capacity).toBe(2);
    expect(inFlight.slowByEndpoint.get("http://hole:1")).toBe(1);
    const done = new Promise<void>((onDone) => {
      inFlight.add(batch("http://x:1/c", 3), () => Promise.resolve(), { onSlow: () => undefined, onDone });
    });
    await done;
    answer();
    await holeDone;
    expect(inFlight.marks.has(1)).toBe(false);
    expect(inFlight.slow).toBe(0);
    expect(inFlight.byEndpoint.has("http://hole:1")).toBe(false);
  });
});
