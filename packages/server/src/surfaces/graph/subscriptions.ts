/**
 * Graph subscriptions, `/v1.0/subscriptions`, on driveItem (a drive's root):
 *
 * | call                              | answer                                             |
 * | --------------------------------- | -------------------------------------------------- |
 * | `POST /subscriptions`             | 201 + subscription, after the validationToken handshake |
 * | `GET /subscriptions`              | 200 `{"@odata.context","value":[…]}`, clientState null |
 * | `GET /subscriptions/{id}`         | 200 + subscription                                 |
 * | `PATCH /subscriptions/{id}`       | 200 + subscription (renew: expirationDateTime only) |
 * | `DELETE /subscriptions/{id}`      | 204                                                |
 *
 * A caller sees the subscriptions its app made for it, as Graph shows a delegated caller. The
 * rules (handshake, clientState, lifetime) are the subscription service's, with the Graph profile;
 * this file translates, and words errors as Graph does (`InvalidRequest`, its handshake messages).
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { NudgeError } from "../../errors.js";
import { principalOf } from "../../http/auth.js";
import type { Principal } from "../../identity/principal.js";
import type { Services } from "../../services.js";
import type { SubscriptionRecord } from "../../subscriptions/service.js";
import { useStrictValidation } from "../../http/validation.js";
import { graphErrorCode, useGraphErrors } from "../graph-family/errors.js";
import { inGraphWords } from "./subscription-handshake.js";
import { subscribedDrive } from "./subscription-resource.js";
import { graphServiceRoot, graphSubscriptionJson } from "./subscription-wire.js";

interface NewGraphSubscription {
  changeType: string;
  notificationUrl: string;
  resource: string;
  expirationDateTime?: string;
  clientState?: string | null;
  lifecycleNotificationUrl?: string | null;
  includeResourceData?: boolean;
}

type Renewal = Record<string, unknown> & { expirationDateTime: string };

const newSubscriptionBody = {
  type: "object",
  required: ["changeType", "notificationUrl", "resource"],
  properties: {
    changeType: { type: "string" },
    notificationUrl: { type: "string" },
    resource: { type: "string" },
    expirationDateTime: { type: "string" },
    clientState: { type: ["string", "null"] },
    lifecycleNotificationUrl: { type: ["string", "null"] },
    includeResourceData: { type: "boolean" },
  },
} as const;

const renewalBody = {
  type: "object",
  required: ["expirationDateTime"],
  properties: { expirationDateTime: { type: "string" } },
} as const;

const idParams = { type: "object", properties: { id: { type: "string", minLength: 1 } } } as const;

export async function registerGraphSubscriptionRoutes(
  app: FastifyInstance,
  services: Services,
): Promise<void> {
  // A child scope: strict body types and Graph's subscription error codes apply only here.
  await app.register(async (scope) => {
    useStrictValidation(scope);
    useGraphErrors(scope, { reword: inGraphWords, code: subscriptionErrorCode, notFound: null });
    registerRoutes(scope, services);
  });
}

function registerRoutes(app: FastifyInstance, services: Services): void {
  const profile = services.profiles.graph;

  app.post<{ Body: NewGraphSubscription }>(
    "/subscriptions",
    { schema: { hide: true, body: newSubscriptionBody } },
    async (request, reply) => {
      const principal = principalOf(request);
      const body = request.body;
      const { drive, resourcePath } = await subscribedDrive(services, principal, body.resource);
      if (body.changeType !== "updated") {
        throw new NudgeError(
          "invalidRequest",
          `changeType '${body.changeType}' is not supported for resource '${body.resource}': a driveItem subscription supports only 'updated'.`,
        );
      }
      if (body.includeResourceData === true) {
        throw new NudgeError(
          "invalidRequest",
          "includeResourceData is not supported for driveItem: notifications carry no resource data.",
        );
      }
      const subscription = await withGraphLifetime(() =>
        services.subscriptions.create(principal, drive, profile, {
          notificationUrl: body.notificationUrl,
          clientState: body.clientState,
          expirationDateTime: body.expirationDateTime,
          lifecycleNotificationUrl: body.lifecycleNotificationUrl,
          resourcePath,
        }),
      );
      return reply.code(201).send({
        "@odata.context": `${graphServiceRoot(request)}/$metadata#subscriptions/$entity`,
        ...graphSubscriptionJson(subscription, await applicationId(services, principal), {
          showClientState: true,
        }),
      });
    },
  );

  app.get("/subscriptions", { schema: { hide: true } }, async (request) => {
    const principal = principalOf(request);
    const all = await services.subscriptions.list(principal, { surface: profile.name, madeByThisApp: true });
    const clientId = await applicationId(services, principal);
    return {
      "@odata.context": `${graphServiceRoot(request)}/$metadata#subscriptions`,
      value: all.map((s) => graphSubscriptionJson(s, clientId, { showClientState: false })),
    };
  });

  app.get<{ Params: { id: string } }>(
    "/subscriptions/:id",
    { schema: { hide: true, params: idParams } },
    async (request) => {
      const principal = principalOf(request);
      const subscription = await callersSubscription(services, principal, request.params.id);
      return entity(request, subscription, await applicationId(services, principal));
    },
  );

  app.patch<{ Params: { id: string }; Body: Renewal }>(
    "/subscriptions/:id",
    { schema: { hide: true, params: idParams, body: renewalBody } },
    async (request) => {
      const principal = principalOf(request);
      const { expirationDateTime, ...rest } = request.body;
      // Graph renews by expirationDateTime; anything else a client sends to change is refused
      // rather than silently dropped (annotations such as @odata.type are not changes).
      const other = Object.keys(rest).find((key) => !key.startsWith("@odata."));
      if (other !== undefined) {
        throw new NudgeError(
          "invalidRequest",
          `Only expirationDateTime can be changed on a subscription; '${other}' cannot.`,
        );
      }
      await callersSubscription(services, principal, request.params.id);
      const renewed = await withGraphLifetime(() =>
        services.subscriptions.update(principal, request.params.id, profile, { expirationDateTime }),
      );
      return entity(request, renewed, await applicationId(services, principal));
    },
  );

  app.delete<{ Params: { id: string } }>(
    "/subscriptions/:id",
    { schema: { hide: true, params: idParams } },
    async (request, reply) => {
      const principal = principalOf(request);
      await callersSubscription(services, principal, request.params.id);
      await services.subscriptions.delete(principal, request.params.id, profile.name);
      return reply.code(204).send();
    },
  );
}

function entity(request: FastifyRequest, subscription: SubscriptionRecord, clientId: string) {
  return {
    "@odata.context": `${graphServiceRoot(request)}/$metadata#subscriptions/$entity`,
    ...graphSubscriptionJson(subscription, clientId, { showClientState: true }),
  };
}

/** A delegated caller sees what its app made for it; anything else does not exist for it. */
function madeBy(subscription: SubscriptionRecord, principal: Principal): boolean {
  return subscription.appId === principal.appId && subscription.creatorId === principal.userId;
}

async function callersSubscription(
  services: Services,
  principal: Principal,
  id: string,
): Promise<SubscriptionRecord> {
  // A subscription Nudge removed after persistent failure is gone from the store: 404, as at Graph.
  const subscription = await services.subscriptions.get(principal, id, services.profiles.graph.name);
  if (!madeBy(subscription, principal)) throw new NudgeError("subscriptionNotFound");
  return subscription;
}

/** Graph's applicationId is the app's client id, not Nudge's row id. */
async function applicationId(services: Services, principal: Principal): Promise<string> {
  const app = await services.identity.findApp(principal.tenantId, principal.appId);
  return app?.clientId ?? principal.appId;
}

/**
 * Graph states its cap in minutes ("can only be 42300 minutes in the future"); the service's
 * message counts days, which for 42,300 minutes (29.375 days) would mislead.
 */
async function withGraphLifetime<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (
      error instanceof NudgeError &&
      error.code === "invalidExpiration" &&
      error.detail.reason === "tooFar"
    ) {
      const minutes = Math.round((error.detail.limit?.value ?? 0) / 60_000);
      throw new NudgeError(
        "invalidExpiration",
        `Subscription expiration can only be ${minutes} minutes in the future.`,
        error.detail,
      );
    }
    throw error;
  }
}

/** Graph's subscription API answers every bad request with `InvalidRequest`; other codes as elsewhere. */
function subscriptionErrorCode(error: NudgeError): string {
  if (error.status === 400 && error.code !== "invalidJson") return "InvalidRequest";
  return graphErrorCode(error);
}
