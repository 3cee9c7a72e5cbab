/**
 * A new subscription record, as every kind of subscription starts: active, never dropped, never
 * warned. Client subscriptions (after their handshake) and app-level registrations are both made
 * here, so a field added to subscriptions is set in one place.
 */
import { randomUUID } from "node:crypto";
import type { SubscriptionRecord } from "../store/repositories/subscriptions.js";

export type NewSubscriptionRecord = Pick<
  SubscriptionRecord,
  | "tenantId"
  | "resourceId"
  | "appId"
  | "creatorId"
  | "surface"
  | "notificationUrl"
  | "clientState"
  | "expiresAt"
> &
  Partial<Pick<SubscriptionRecord, "lifecycleUrl" | "resourcePath" | "registration">>;

export function newSubscriptionRecord(fields: NewSubscriptionRecord, now: number): SubscriptionRecord {
  return {
    id: randomUUID(),
    lifecycleUrl: null,
    resourcePath: null,
    registration: "subscription",
    ...fields,
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
    disabledReason: null,
    consecutiveDrops: 0,
    reauthorizationSentAt: null,
  };
}
