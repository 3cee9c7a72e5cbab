import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import {
  nextAttemptAt,
  oneDriveRetryPolicy,
  scheduleFromSeconds,
  sharePointRetryPolicy,
} from "../../src/policy/retry-policy.js";
import { buildProfiles } from "../../src/surfaces/profiles.js";

describe("retry policies", () => {
  it("SharePoint retries five times, five minutes after each failure, then gives up", () => {
    const due = [1, 2, 3, 4, 5].map((n) => nextAttemptAt(sharePointRetryPolicy, n, 0, n * 300_000 - 300_000));
    expect(due).toEqual([300_000, 600_000, 900_000, 1_200_000, 1_500_000]);
    expect(nextAttemptAt(sharePointRetryPolicy, 6, 0, 1_500_000)).toBeNull();
  });

  it("gives up once the deadline since the first attempt would pass", () => {
    const policy = { delaysMs: [60_000, 120_000, 240_000, 480_000, 960_000], deadlineMs: 15 * 60_000 };
    expect(nextAttemptAt(policy, 3, 0, 180_000)).toBe(420_000);
    expect(nextAttemptAt(policy, 4, 0, 420_000)).toBe(900_000);
    expect(nextAttemptAt(policy, 5, 0, 900_000)).toBeNull();
  });

  it("makes one last attempt at the deadline when real time drifted past the schedule", () => {
    const policy = { delaysMs: [60_000, 120_000, 240_000, 480_000, 960_000], deadlineMs: 15 * 60_000 };
    // The 4th attempt ran a few milliseconds late: 8 minutes later is just past the deadline.
    expect(nextAttemptAt(policy, 4, 0, 420_007)).toBe(900_000);
    // The attempt at the deadline (or after it) is the last.
    expect(nextAttemptAt(policy, 5, 0, 900_000)).toBeNull();
    expect(nextAttemptAt(policy, 5, 0, 900_003)).toBeNull();
    expect(nextAttemptAt(policy, 4, 0, 900_001)).toBeNull();
  });

  it("OneDrive on Graph and the OneDrive preview share the 15-minute policy", () => {
    const profiles = buildProfiles(defaultConfig);
    expect(profiles.graph.retry).toBe(oneDriveRetryPolicy);
    expect(profiles["onedrive-legacy"].retry).toBe(oneDriveRetryPolicy);
    expect(oneDriveRetryPolicy.deadlineMs).toBe(15 * 60_000);
  });

  it("spreads retries by the jitter fraction", () => {
    const policy = scheduleFromSeconds([100], 0.1);
    expect(nextAttemptAt(policy, 1, 0, 0, () => 0)).toBe(90_000);
    expect(nextAttemptAt(policy, 1, 0, 0, () => 1)).toBe(110_000);
    expect(nextAttemptAt(policy, 1, 0, 0, () => 0.5)).toBe(100_000);
  });
});
