/**
 * Webhook subscriptions on a list (`…/lists(…)/subscriptions`): create 201, list 200, get 200,
 * update (PATCH) 204 empty, delete 204 empty — the exact codes clients check. The rules
 * (handshake, clientState, expiration) are the subscription service's; this file translates.
 *
 * The body's `resource` may be the list's URL, its GUID, or (as @pnp/sp sends it) the URL of the
 * subscriptions collection: it is informational, the path names the list.
 */
import { NudgeError } from "../../errors.js";
import type { ResourceRecord } from "../../resources/service.js";
import type { SubscriptionRecord } from "../../subscriptions/service.js";
import type { SubscriptionPatch } from "../../subscriptions/service.js";
import { listRefOf, resolveList, type SharePointCall, type SharePointHandler } from "./call.js";
import { sharePointDate } from "./dates.js";
import { listPath } from "./lists.js";
import { collectionBody, entityBody, type Entity } from "./odata-shape.js";
import { bodyObject, optionalString } from "./request-body.js";

const SET = "SP.ApiData.Subscriptions";
const PATCHABLE = ["notificationUrl", "expirationDateTime", "clientState"] as const;

export const createSubscription: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  const body = bodyObject(call.body);
  optionalString(body, "resource");
  const subscription = await call.services.subscriptions.create(
    call.principal,
    list,
    call.services.profiles.sharepoint,
    {
      notificationUrl: body.notificationUrl,
      clientState: body.clientState,
      expirationDateTime: body.expirationDateTime,
    },
  );
  return {
    status: 201,
    body: entityBody(call.shape, call.root, SET, subscriptionEntity(list, subscription)),
  };
};

export const listSubscriptions: SharePointHandler = async (call) => {
  const list = await resolveList(call, listRefOf(call.target));
  const subscriptions = await call.services.subscriptions.list(call.principal, {
    resource: list,
    surface: "sharepoint",
  });
  const entities = subscriptions.map((s) => subscriptionEntity(list, s));
  return { status: 200, body: collectionBody(call.shape, call.root, SET, entities) };
};

export const getSubscription: SharePointHandler = async (call) => {
  const { list, subscription } = await resolveSubscription(call);
  return {
    status: 200,
    body: entityBody(call.shape, call.root, SET, subscriptionEntity(list, subscription)),
  };
};

export const updateSubscription: SharePointHandler = async (call) => {
  const { subscription } = await resolveSubscription(call);
  const body = bodyObject(call.body ?? {});
  const patch: SubscriptionPatch = {};
  for (const name of PATCHABLE) if (name in body) patch[name] = body[name];
  const profile = call.services.profiles.sharepoint;
  await call.services.subscriptions.update(call.principal, subscription.id, profile, patch);
  return { status: 204 };
};

export const deleteSubscription: SharePointHandler = async (call) => {
  const { subscription } = await resolveSubscription(call);
  await call.services.subscriptions.delete(call.principal, subscription.id, "sharepoint");
  return { status: 204 };
};

/** The subscription the path names, if it is on the list the path names. */
async function resolveSubscription(
  call: SharePointCall,
): Promise<{ list: ResourceRecord; subscription: SubscriptionRecord }> {
  const { target } = call;
  if (target.kind !== "subscription") throw new Error(`target ${target.kind} has no subscription`);
  const list = await resolveList(call, target.list);
  const subscription = await call.services.subscriptions.get(
    call.principal,
    target.subscriptionId,
    "sharepoint",
  );
  if (subscription.resourceId !== list.id) throw new NudgeError("subscriptionNotFound");
  return { list, subscription };
}

function subscriptionEntity(list: ResourceRecord, subscription: SubscriptionRecord): Entity {
  return {
    meta: {
      type: "Microsoft.SharePoint.Webhooks.Subscription",
      path: `${listPath(list)}/Subscriptions('${subscription.id}')`,
    },
    fields: {
      id: subscription.id,
      clientState: subscription.clientState,
      expirationDateTime: sharePointDate(subscription.expiresAt),
      notificationUrl: subscription.notificationUrl,
      resource: list.id.toLowerCase(),
      resourceData: null,
    },
  };
}
