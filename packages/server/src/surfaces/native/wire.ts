/**
 * Native wire shapes: each record Nudge keeps, as `/v1` shows it, next to the JSON schema that
 * documents it in the OpenAPI document. Times are ISO 8601 UTC; journal sequence numbers never
 * appear (positions travel only inside opaque change tokens).
 */
import type { AttemptRecord, DeadLetterRecord } from "../../delivery/service.js";
import type { ChangeRecord } from "../../resources/feed.js";
import type { ResourceRecord } from "../../resources/service.js";
import type { SubscriptionRecord } from "../../subscriptions/service.js";

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

const string = { type: "string" } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const nullableString = { type: ["string", "null"] } as const;
const nullableDateTime = { type: ["string", "null"], format: "date-time" } as const;

/** `{"value":[...]}`, the collection shape of every list. */
export function collectionOf(item: object, description = "A list.") {
  return {
    type: "object",
    description,
    properties: { value: { type: "array", items: item } },
    required: ["value"],
  } as const;
}

export const resourceSchema = {
  type: "object",
  description: "A resource.",
  properties: {
    id: string,
    kind: { type: "string", enum: ["external", "sharepoint-list", "drive", "notebook"] },
    title: string,
    ownerId: string,
    createdDateTime: dateTime,
    modifiedDateTime: dateTime,
  },
  required: ["id", "kind", "title", "ownerId", "createdDateTime", "modifiedDateTime"],
} as const;

export function resourceJson(r: ResourceRecord) {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    ownerId: r.ownerId,
    createdDateTime: iso(r.createdAt),
    modifiedDateTime: iso(r.modifiedAt),
  };
}

export const changeKinds = ["add", "update", "delete", "move", "rename"] as const;

export const changeSchema = {
  type: "object",
  description: "One change in the journal.",
  properties: {
    item: string,
    kind: { type: "string", enum: changeKinds },
    time: dateTime,
    actorId: nullableString,
  },
  required: ["item", "kind", "time", "actorId"],
} as const;

export function changeJson(c: ChangeRecord) {
  return { item: c.itemKey, kind: c.kind, time: iso(c.at), actorId: c.actorId };
}

export type SubscriptionStatus = "active" | "expired" | "disabled";

export const subscriptionSchema = {
  type: "object",
  description: "A subscription.",
  properties: {
    id: string,
    resource: { type: "string", description: "The id of the resource subscribed to." },
    notificationUrl: string,
    clientState: nullableString,
    expirationDateTime: dateTime,
    createdDateTime: dateTime,
    status: {
      type: "string",
      enum: ["active", "expired", "disabled"],
      description:
        "`disabled` after repeated dropped notifications (see disabledReason); renewing enables it again.",
    },
    disabledReason: nullableString,
    consecutiveDrops: { type: "integer" },
  },
  required: [
    "id",
    "resource",
    "notificationUrl",
    "clientState",
    "expirationDateTime",
    "createdDateTime",
    "status",
    "disabledReason",
    "consecutiveDrops",
  ],
} as const;

export function subscriptionJson(s: SubscriptionRecord, now: number) {
  const status: SubscriptionStatus =
    s.disabledAt !== null ? "disabled" : s.expiresAt <= now ? "expired" : "active";
  return {
    id: s.id,
    resource: s.resourceId,
    notificationUrl: s.notificationUrl,
    clientState: s.clientState,
    expirationDateTime: iso(s.expiresAt),
    createdDateTime: iso(s.createdAt),
    status,
    disabledReason: s.disabledReason,
    consecutiveDrops: s.consecutiveDrops,
  };
}

export const attemptSchema = {
  type: "object",
  description: "One attempt to deliver one notification.",
  properties: {
    deliveryId: {
      type: ["string", "null"],
      description:
        "Also sent as the x-nudge-delivery-id header of the POST; null when the outcome is unknown (the id was never stored).",
    },
    attempt: {
      type: "integer",
      description: "1 for the first try of this notification, 2 for the first retry …",
    },
    time: dateTime,
    statusCode: { type: ["integer", "null"], description: "null when no answer came (time-out, refused)." },
    durationMs: { type: ["integer", "null"], description: "null when the outcome is unknown." },
    error: nullableString,
    outcome: {
      type: "string",
      enum: ["delivered", "failed", "dropped", "unknown"],
      description:
        "unknown: the node sending it stopped before recording what came of it; it is sent again, under the same attempt number.",
    },
  },
  required: ["deliveryId", "attempt", "time", "statusCode", "durationMs", "error", "outcome"],
} as const;

export function attemptJson(a: AttemptRecord) {
  return {
    deliveryId: a.deliveryId,
    attempt: a.attempt,
    time: iso(a.at),
    statusCode: a.statusCode,
    durationMs: a.durationMs,
    error: a.error,
    outcome: a.outcome,
  };
}

export const deadLetterSchema = {
  type: "object",
  description: "A notification dropped after its retry schedule ran out.",
  properties: {
    id: string,
    subscriptionId: string,
    notificationUrl: string,
    changeCount: { type: "integer" },
    attempts: { type: "integer" },
    firstAttemptTime: nullableDateTime,
    droppedTime: dateTime,
    lastError: nullableString,
    replayedTime: nullableDateTime,
  },
  required: [
    "id",
    "subscriptionId",
    "notificationUrl",
    "changeCount",
    "attempts",
    "firstAttemptTime",
    "droppedTime",
    "lastError",
    "replayedTime",
  ],
} as const;

export function deadLetterJson(d: DeadLetterRecord) {
  return {
    id: d.id,
    subscriptionId: d.subscriptionId,
    notificationUrl: d.notificationUrl,
    changeCount: d.changeCount,
    attempts: d.attempts,
    firstAttemptTime: isoOrNull(d.firstAttemptAt),
    droppedTime: iso(d.droppedAt),
    lastError: d.lastError,
    replayedTime: isoOrNull(d.replayedAt),
  };
}
