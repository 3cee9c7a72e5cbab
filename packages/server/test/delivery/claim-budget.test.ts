import { describe, expect, it } from "vitest";
import { ClaimBudget } from "../../src/delivery/claim-budget.js";

const caps = { postSlots: 10, endpointConcurrency: 4, maxBatchSize: 100 };

describe("a round's claim budget, counted in POSTs", () => {
  it("takes up to endpointConcurrency full POSTs of marks for one URL, then skips that URL", () => {
    const budget = new ClaimBudget(caps, new Map());
    const verdicts = Array.from({ length: 450 }, () => budget.admit("http://r/hook"));
    expect(verdicts.filter((v) => v === "take")).toHaveLength(400);
    expect(verdicts.slice(400).every((v) => v === "skip")).toBe(true);
    expect(budget.full).toBe(false);
  });

  it("counts the URL's POSTs already in flight against its cap", () => {
    const budget = new ClaimBudget(caps, new Map([["http://r/hook", 3]]));
    const taken = Array.from({ length: 250 }, () => budget.admit("http://r/hook")).filter(
      (v) => v === "take",
    );
    expect(taken).toHaveLength(100);
  });

  it("is full once every free POST slot has one, and stops at the next new POST", () => {
    const budget = new ClaimBudget(caps, new Map());
    for (let i = 0; i < 10; i++) expect(budget.admit(`http://r/${i}`)).toBe("take");
    expect(budget.full).toBe(true);
    expect(budget.admit("http://r/another")).toBe("stop");
    // A mark for a URL whose POST this round opens still joins it.
    expect(budget.admit("http://r/3")).toBe("take");
  });
});
