/** The batch planner on its own: plain data in, a plan out; no database, no network. */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { planBatches, type BatchCaps, type PlanInput } from "../../src/delivery/batch-plan.js";
import type { ClaimedChangeMark, ClaimedLifecycleMark } from "../../src/store/repositories/claims.js";
import type { SubscriptionRecord } from "../../src/store/repositories/subscriptions.js";
import type { NotificationTarget } from "../../src/store/repositories/targets.js";
import { buildProfiles } from "../../src/surfaces/profiles.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const profiles = buildProfiles(defaultConfig);
const caps: BatchCaps = { maxBatchSize: 2, endpointConcurrency: 2, globalConcurrency: 10 };
let nextId = 1;

function subscription(
  id: string,
  surface: string,
  changes: Partial<SubscriptionRecord> = {},
): SubscriptionRecord {
  return {
    id,
    tenantId: "t",
    resourceId: "r",
    appId: "a",
    creatorId: "u",
    surface,
    notificationUrl: `http://127.0.0.1/${id}`,
    clientState: null,
    expiresAt: NOW + 60_000,
    createdAt: NOW,
    updatedAt: NOW,
    disabledAt: null,
    disabledReason: null,
    consecutiveDrops: 0,
    lifecycleUrl: null,
    resourcePath: null,
    registration: "subscription",
    reauthorizationSentAt: null,
    ...changes,
  };
}

function target(record: SubscriptionRecord): NotificationTarget {
  return {
    subscription: record,
    resource: { id: "r", kind: "list", title: "List", ownerId: "u" },
    site: null,
    app: { clientId: "a" },
  };
}

function change(subscriptionId: string, url: string): ClaimedChangeMark {
  const id = nextId++;
  return {
    id,
    kind: "change",
    subscriptionId,
    notificationUrl: url,
    firstSeq: id,
    lastSeq: id,
    changeCount: 1,
    attempts: 0,
    firstAttemptAt: null,
    createdAt: NOW,
    takenOverFrom: null,
  };
}

function lifecycle(subscriptionId: string, url: string, payload: string | null = "{}"): ClaimedLifecycleMark {
  return {
    id: nextId++,
    kind: "lifecycle",
    surface: "graph",
    payload,
    subscriptionId,
    notificationUrl: url,
    attempts: 0,
    firstAttemptAt: null,
    createdAt: NOW,
    takenOverFrom: null,
  };
}

function plan(input: Partial<PlanInput> & Pick<PlanInput, "marks" | "targets">) {
  return planBatches({
    unreadableTargets: [],
    profiles,
    now: NOW,
    caps,
    inFlight: { byUrl: new Map(), total: 0 },
    ...input,
  });
}

describe("batch planner", () => {
  it("groups by URL and surface, lifecycle events apart, one chunk per maxBatchSize subscriptions", () => {
    const subs = ["s1", "s2", "s3"].map((id) => subscription(id, "sharepoint"));
    const graph = subscription("g1", "graph");
    const targets = new Map([...subs, graph].map((s) => [s.id, target(s)]));
    const a = "http://127.0.0.1/a";
    // Two marks of s1 (a change came while one was out): they share a chunk and count once.
    const marks = [change("s1", a), change("s2", a), change("s1", a), change("s3", a), change("g1", a)];
    const event = lifecycle("g1", a);
    const result = plan({ marks: [...marks, event], targets, caps: { ...caps, endpointConcurrency: 10 } });
    expect(
      result.batches.map((b) => [b.kind, b.profile.name, b.url, b.marks.map((m) => m.subscriptionId)]),
    ).toEqual([
      ["change", "sharepoint", a, ["s1", "s1", "s2"]],
      ["change", "sharepoint", a, ["s3"]],
      ["change", "graph", a, ["g1"]],
      ["lifecycle", "graph", a, ["g1"]],
    ]);
    expect(result.stale).toEqual([]);
    expect(result.release).toEqual([]);
  });

  it("hands back what is over the cap per URL and per node, counting POSTs already out", () => {
    const subs = ["s1", "s2", "s3", "s4", "s5"].map((id) => subscription(id, "native"));
    const targets = new Map(subs.map((s) => [s.id, target(s)]));
    const [a, b] = ["http://127.0.0.1/a", "http://127.0.0.1/b"];
    const one = { ...caps, maxBatchSize: 1 };
    const marks = [change("s1", a), change("s2", a), change("s3", a), change("s4", b), change("s5", b)];
    const busyA = plan({ marks, targets, caps: one, inFlight: { byUrl: new Map([[a, 1]]), total: 1 } });
    expect(busyA.batches.map((x) => x.marks[0]!.subscriptionId)).toEqual(["s1", "s4", "s5"]);
    expect(busyA.release).toEqual([marks[1]!.id, marks[2]!.id]);

    const full = plan({
      marks,
      targets,
      caps: { ...one, globalConcurrency: 3 },
      inFlight: { byUrl: new Map(), total: 1 },
    });
    expect(full.batches.map((x) => x.marks[0]!.subscriptionId)).toEqual(["s1", "s2"]);
    expect(full.release).toEqual([marks[2]!.id, marks[3]!.id, marks[4]!.id]);
  });

  it("sends nothing for deleted, disabled or expired subscriptions, or events that do not open", () => {
    const live = subscription("live", "sharepoint");
    const disabled = subscription("off", "sharepoint", { disabledAt: NOW - 1 });
    const expired = subscription("old", "sharepoint", { expiresAt: NOW });
    const targets = new Map([live, disabled, expired].map((s) => [s.id, target(s)]));
    const url = "http://127.0.0.1/a";
    const marks = [change("live", url), change("off", url), change("old", url), change("gone", url)];
    const sealed = lifecycle("gone", url, null);
    const removed = lifecycle("gone", url);
    const result = plan({ marks: [...marks, sealed, removed], targets, unreadableTargets: ["locked"] });
    expect(result.batches.map((b) => [b.kind, b.marks.map((m) => m.id)])).toEqual([
      ["change", [marks[0]!.id]],
      // A subscriptionRemoved event is sent though its subscription is gone: that is its point.
      ["lifecycle", [removed.id]],
    ]);
    expect(result.stale).toEqual([marks[1]!.id, marks[2]!.id, marks[3]!.id, sealed.id]);
    expect(result.unreadable).toEqual(["locked", "gone"]);
  });
});
