/**
 * `/v1/subscriptions`: native subscriptions, created after the validation handshake
 * (`?validationToken=`), renewed or changed by PATCH. The rules (URL, clientState, expiration)
 * live in the subscription service; the schemas here only check types.
 */
import type { FastifyInstance } from "fastify";
import { principalOf } from "../../http/auth.js";
import type { Services } from "../../services.js";
import type { NewSubscription, SubscriptionPatch } from "../../subscriptions/service.js";
import { errorResponses, idParams } from "./schema-parts.js";
import { collectionOf, subscriptionJson, subscriptionSchema } from "./wire.js";

const tags = ["subscriptions"];

const fields = {
  notificationUrl: {
    type: "string",
    description:
      "Absolute http(s) URL. Nudge POSTs `{url}?validationToken={token}` first and expects the token echoed as text/plain with 200.",
  },
  clientState: {
    type: ["string", "null"],
    description: "At most 128 characters, echoed in every notification.",
  },
  expirationDateTime: {
    type: "string",
    description:
      "ISO 8601; at most 180 days ahead (the configured maximum). Default: the configured default lifetime.",
  },
} as const;

export function registerSubscriptionRoutes(app: FastifyInstance, services: Services): void {
  const profile = services.profiles.native;
  const now = () => services.clock.now();

  app.post<{ Body: NewSubscription & { resource: string } }>(
    "/subscriptions",
    {
      schema: {
        summary: "Subscribe to a resource",
        description: "Runs the validation handshake first; nothing is stored unless it succeeds.",
        tags,
        body: {
          type: "object",
          properties: { resource: { type: "string", minLength: 1 }, ...fields },
          required: ["resource", "notificationUrl"],
        },
        response: { 201: subscriptionSchema, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { resource: resourceId, ...input } = request.body;
      const resource = await services.resources.get(principal, resourceId);
      const subscription = await services.subscriptions.create(principal, resource, profile, input);
      return reply.code(201).send(subscriptionJson(subscription, now()));
    },
  );

  app.get<{ Querystring: { resource?: string } }>(
    "/subscriptions",
    {
      schema: {
        summary: "List native subscriptions",
        description:
          "Subscriptions on resources the caller can see (on one resource with `?resource=`). Expired ones stay listed for the configured grace period.",
        tags,
        querystring: { type: "object", properties: { resource: { type: "string", minLength: 1 } } },
        response: { 200: collectionOf(subscriptionSchema, "Native subscriptions."), ...errorResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const resource = request.query.resource
        ? await services.resources.get(principal, request.query.resource)
        : undefined;
      const list = await services.subscriptions.list(principal, {
        ...(resource && { resource }),
        surface: profile.name,
      });
      const at = now();
      return { value: list.map((s) => subscriptionJson(s, at)) };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/subscriptions/:id",
    {
      schema: {
        summary: "Get a subscription",
        tags,
        params: idParams,
        response: { 200: subscriptionSchema, ...errorResponses(404) },
      },
    },
    async (request) =>
      subscriptionJson(
        await services.subscriptions.get(principalOf(request), request.params.id, profile.name),
        now(),
      ),
  );

  app.patch<{ Params: { id: string }; Body: SubscriptionPatch }>(
    "/subscriptions/:id",
    {
      schema: {
        summary: "Renew or change a subscription",
        description:
          "A new expirationDateTime renews it (and enables a disabled one); a new notificationUrl is validated by a fresh handshake first.",
        tags,
        params: idParams,
        body: { type: "object", properties: fields },
        response: { 200: subscriptionSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const updated = await services.subscriptions.update(
        principalOf(request),
        request.params.id,
        profile,
        request.body,
      );
      return subscriptionJson(updated, now());
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/subscriptions/:id",
    {
      schema: {
        summary: "Delete a subscription",
        tags,
        params: idParams,
        response: { 204: { type: "null", description: "Deleted." }, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await services.subscriptions.delete(principalOf(request), request.params.id, profile.name);
      return reply.code(204).send();
    },
  );
}
