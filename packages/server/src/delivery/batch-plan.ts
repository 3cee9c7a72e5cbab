/**
 * The batch planner: which claimed marks go out together, and which wait. Marks are grouped by
 * notification URL and surface (lifecycle events in batches of their own), each group is cut into
 * POSTs of at most `maxBatchSize` notifications, and the caps per URL and per node decide which
 * POSTs start now. Pure — marks, targets and caps in, a plan out — so it is tested without a
 * database or a network.
 */
import type { SurfaceProfile, SurfaceProfiles } from "../policy/profile.js";
import { profileNamed } from "../policy/profile.js";
import type { ClaimedChangeMark, ClaimedLifecycleMark, ClaimedMark } from "../store/repositories/claims.js";
import type { NotificationTarget } from "../store/repositories/targets.js";

/** One POST: marks for one URL under one surface's rules. */
export type Batch =
  | { kind: "change"; url: string; profile: SurfaceProfile; marks: ClaimedChangeMark[] }
  | { kind: "lifecycle"; url: string; profile: SurfaceProfile; marks: ClaimedLifecycleMark[] };

export interface BatchCaps {
  /** Notifications per POST (one per subscription, however many marks it has). */
  maxBatchSize: number;
  /** POSTs in flight to one URL. */
  endpointConcurrency: number;
  /** POSTs in flight from this node. */
  globalConcurrency: number;
}

/** The POSTs already out when the round began. */
export interface InFlight {
  byUrl: ReadonlyMap<string, number>;
  total: number;
}

export interface PlanInput {
  marks: ClaimedMark[];
  /** The change marks' subscriptions, as loaded for this round. */
  targets: ReadonlyMap<string, NotificationTarget>;
  /** Subscriptions whose clientState does not open (they have no target). */
  unreadableTargets: readonly string[];
  profiles: SurfaceProfiles;
  now: number;
  caps: BatchCaps;
  inFlight: InFlight;
}

export interface BatchPlan {
  /** To start now, in order. */
  batches: Batch[];
  /** Marks never to send (subscription gone, disabled or expired; an event that does not open): delete. */
  stale: number[];
  /** Marks claimed beyond a cap: hand back, they wait in the database. */
  release: number[];
  /** Subscriptions with a sealed value that does not open: each is logged, none is sent. */
  unreadable: string[];
}

export function planBatches(input: PlanInput): BatchPlan {
  const { caps } = input;
  const stale: number[] = [];
  const groups = new Map<string, Batch>();
  for (const mark of input.marks) {
    const profile = profileFor(mark, input);
    if (!profile) stale.push(mark.id);
    else addTo(groups, mark, profile);
  }
  const byUrl = new Map(input.inFlight.byUrl);
  let total = input.inFlight.total;
  const batches: Batch[] = [];
  const release: number[] = [];
  for (const group of groups.values()) {
    for (const batch of split(group, caps.maxBatchSize)) {
      const running = byUrl.get(batch.url) ?? 0;
      if (running >= caps.endpointConcurrency || total >= caps.globalConcurrency) {
        release.push(...batch.marks.map((m) => m.id));
        continue;
      }
      batches.push(batch);
      byUrl.set(batch.url, running + 1);
      total++;
    }
  }
  const unopened = input.marks.filter((m) => m.kind === "lifecycle" && m.payload === null);
  const unreadable = [...new Set([...input.unreadableTargets, ...unopened.map((m) => m.subscriptionId)])];
  return { batches, stale, release, unreadable };
}

/**
 * The profile a mark is sent under, or null when it must not be sent: expired, disabled or
 * deleted subscriptions get no notifications (lifecycle events are sent regardless — telling a
 * receiver its subscription was removed is their point).
 */
function profileFor(mark: ClaimedMark, input: PlanInput): SurfaceProfile | null {
  if (mark.kind === "lifecycle") {
    if (mark.payload === null || mark.surface === null) return null;
    return input.profiles[mark.surface];
  }
  const target = input.targets.get(mark.subscriptionId);
  if (!target || target.subscription.disabledAt !== null || target.subscription.expiresAt <= input.now)
    return null;
  return profileNamed(input.profiles, target.subscription.surface);
}

function addTo(groups: Map<string, Batch>, mark: ClaimedMark, profile: SurfaceProfile): void {
  const key = `${mark.kind} ${profile.name} ${mark.notificationUrl}`;
  const url = mark.notificationUrl;
  const group = groups.get(key);
  if (mark.kind === "change") {
    if (group?.kind === "change") group.marks.push(mark);
    else groups.set(key, { kind: "change", url, profile, marks: [mark] });
  } else if (group?.kind === "lifecycle") group.marks.push(mark);
  else groups.set(key, { kind: "lifecycle", url, profile, marks: [mark] });
}

function split(group: Batch, maxNotifications: number): Batch[] {
  // The common case under load (one notification per URL) needs no chunking.
  if (group.marks.length === 1) return [group];
  return group.kind === "change"
    ? chunkBySubscription(group.marks, maxNotifications).map((marks) => ({ ...group, marks }))
    : chunkBySubscription(group.marks, maxNotifications).map((marks) => ({ ...group, marks }));
}

/** Splits marks into POST-sized chunks, keeping all marks of one subscription in the same chunk. */
function chunkBySubscription<M extends ClaimedMark>(marks: M[], maxNotifications: number): M[][] {
  const bySubscription = new Map<string, M[]>();
  for (const mark of marks) {
    const list = bySubscription.get(mark.subscriptionId);
    if (list) list.push(mark);
    else bySubscription.set(mark.subscriptionId, [mark]);
  }
  const chunks: M[][] = [];
  let current: M[] = [];
  let count = 0;
  for (const group of bySubscription.values()) {
    if (count === maxNotifications) {
      chunks.push(current);
      current = [];
      count = 0;
    }
    current.push(...group);
    count++;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
