/** The delivery decisions on their own: attempt result, policy and history in, a decision out. */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import {
  afterDisable,
  afterDrop,
  attemptOutcome,
  decideMark,
  isDelivered,
} from "../../src/delivery/decisions.js";
import { oneDriveRetryPolicy, sharePointRetryPolicy } from "../../src/policy/retry-policy.js";
import type { SubscriptionRecord } from "../../src/store/repositories/subscriptions.js";
import { buildProfiles } from "../../src/surfaces/profiles.js";

const MINUTE = 60_000;
const profiles = buildProfiles(defaultConfig);
const held = { attempts: 0, firstAttemptAt: null, held: true };
const graphSubscription = { id: "g", lifecycleUrl: "http://127.0.0.1/lifecycle" } as SubscriptionRecord;

describe("delivery decisions", () => {
  it("a success is delivered, by the surface's own success codes", () => {
    expect(isDelivered({ statusCode: 201, durationMs: 1, error: null }, profiles.sharepoint)).toBe(true);
    expect(isDelivered({ statusCode: 201, durationMs: 1, error: null }, profiles.onenote)).toBe(false);
    expect(isDelivered({ statusCode: null, durationMs: 1, error: "ECONNREFUSED" }, profiles.native)).toBe(
      false,
    );
    expect(decideMark(true, sharePointRetryPolicy, { ...held, held: false }, 0)).toEqual({
      kind: "delivered",
    });
  });

  it("a failure is retried by the policy, counting from the first attempt", () => {
    expect(decideMark(false, sharePointRetryPolicy, held, 1000)).toEqual({
      kind: "retry",
      attempts: 1,
      firstAttemptAt: 1000,
      dueAt: 1000 + 5 * MINUTE,
    });
    const fourth = { attempts: 3, firstAttemptAt: 0, held: true };
    // OneDrive: 7 minutes and a few milliseconds in, the last attempt is at the 15-minute deadline.
    expect(decideMark(false, oneDriveRetryPolicy, fourth, 7 * MINUTE + 12)).toEqual({
      kind: "retry",
      attempts: 4,
      firstAttemptAt: 0,
      dueAt: 15 * MINUTE,
    });
  });

  it("drops when the policy gives up, and leaves a mark another node took over alone", () => {
    const last = { attempts: 5, firstAttemptAt: 0, held: true };
    const drop = decideMark(false, sharePointRetryPolicy, last, 25 * MINUTE);
    expect(drop).toEqual({ kind: "drop", attempts: 6, firstAttemptAt: 0 });
    expect(attemptOutcome(drop)).toBe("dropped");
    const takenOver = decideMark(false, sharePointRetryPolicy, { ...last, held: false }, 25 * MINUTE);
    expect(takenOver).toEqual({ kind: "takenOver" });
    expect(attemptOutcome(takenOver)).toBe("failed");
  });

  it("a drop counts against the subscription and says missed; a lost lifecycle event does neither", () => {
    expect(afterDrop("change", profiles.graph, graphSubscription, 3, "HTTP 500")).toEqual({
      announce: ["missed"],
      countDrop: {
        limit: 3,
        reason: "disabled after 3 notifications in a row were dropped; last error: HTTP 500",
      },
    });
    expect(afterDrop("change", profiles.sharepoint, graphSubscription, 3, "HTTP 500").announce).toEqual([]);
    expect(afterDrop("lifecycle", profiles.graph, graphSubscription, 3, "HTTP 500")).toEqual({
      announce: [],
      countDrop: null,
    });
  });

  it("a disabled Graph subscription is removed with subscriptionRemoved; others stay disabled", () => {
    expect(afterDisable(profiles.graph, graphSubscription)).toEqual({
      announce: ["subscriptionRemoved"],
      remove: true,
    });
    expect(afterDisable(profiles.graph, { ...graphSubscription, lifecycleUrl: null })).toEqual({
      announce: [],
      remove: true,
    });
    expect(afterDisable(profiles.sharepoint, graphSubscription)).toEqual({ announce: [], remove: false });
  });
});
