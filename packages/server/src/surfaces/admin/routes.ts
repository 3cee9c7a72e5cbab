/**
 * The admin API, `/admin`: tenants, apps, users, tokens and grants, for operators and for
 * `nudge admin …`. Guarded by the configured admin token (`NUDGE_ADMIN_TOKEN`); with none
 * configured the whole API answers 403 adminDisabled. Errors are in the native shape.
 */
import type { FastifyInstance } from "fastify";
import { DEMO_SCOPES } from "../../identity/demo.js";
import type { Services } from "../../services.js";
import { useNativeErrors } from "../native/errors.js";
import { useStrictValidation } from "../../http/validation.js";
import { adminGuard } from "./guard.js";
import {
  appResponse,
  appWebhookProperties,
  iso,
  name,
  responses,
  tags,
  tenantParams,
  tenantSchema,
  wireApp,
} from "./schemas.js";

type TenantPath = { Params: { tenantId: string } };

export async function registerAdmin(app: FastifyInstance, services: Services): Promise<void> {
  useNativeErrors(app);
  useStrictValidation(app);
  app.addHook("onRequest", adminGuard(services.config.adminToken));
  const { identity } = services;

  app.post<{ Body: { name: string } }>(
    "/tenants",
    {
      schema: {
        summary: "Create a tenant",
        tags,
        body: { type: "object", properties: { name }, required: ["name"] },
        response: { 201: tenantSchema, ...responses() },
      },
    },
    async (request, reply) => {
      const tenant = await identity.createTenant(request.body.name);
      return reply
        .code(201)
        .send({ id: tenant.id, name: tenant.name, createdDateTime: iso(tenant.createdAt) });
    },
  );

  app.get(
    "/tenants",
    {
      schema: {
        summary: "List tenants",
        tags,
        response: {
          200: {
            type: "object",
            properties: { value: { type: "array", items: tenantSchema } },
            required: ["value"],
          },
          ...responses(),
        },
      },
    },
    async () => ({
      value: (await identity.listTenants()).map((t) => ({
        id: t.id,
        name: t.name,
        createdDateTime: iso(t.createdAt),
      })),
    }),
  );

  app.post<TenantPath & { Body: { name: string; webhookUrl?: string | null; rootDomain?: string | null } }>(
    "/tenants/:tenantId/apps",
    {
      schema: {
        summary: "Register an app",
        description: "The secret is in this answer only; Nudge keeps just its hash.",
        tags,
        params: tenantParams,
        body: { type: "object", properties: { name, ...appWebhookProperties }, required: ["name"] },
        response: { 201: appResponse, ...responses(404) },
      },
    },
    async (request, reply) => {
      await identity.getTenant(request.params.tenantId);
      const { app: created, secret } = await identity.createApp(request.params.tenantId, request.body);
      return reply.code(201).send({ ...wireApp(created), secret });
    },
  );

  app.patch<{
    Params: { tenantId: string; app: string };
    Body: { webhookUrl?: string | null; rootDomain?: string | null };
  }>(
    "/tenants/:tenantId/apps/:app",
    {
      schema: {
        summary: "Set or clear an app's app-level webhook",
        description:
          "Re-registering the webhook points every registration of the app at it and enables them again.",
        tags,
        params: {
          type: "object",
          properties: {
            tenantId: { type: "string" },
            app: { type: "string", description: "App id or client id." },
          },
          required: ["tenantId", "app"],
        },
        body: { type: "object", properties: appWebhookProperties },
        response: { 200: appResponse, ...responses(404) },
      },
    },
    async (request) => {
      await identity.getTenant(request.params.tenantId);
      return wireApp(
        await services.registrations.setAppWebhook(
          request.params.tenantId,
          request.params.app,
          request.body ?? {},
        ),
      );
    },
  );

  app.post<TenantPath & { Body: { name: string } }>(
    "/tenants/:tenantId/users",
    {
      schema: {
        summary: "Create a user",
        tags,
        params: tenantParams,
        body: { type: "object", properties: { name }, required: ["name"] },
        response: {
          201: {
            type: "object",
            properties: { id: { type: "string" }, tenantId: { type: "string" }, name: { type: "string" } },
            required: ["id", "tenantId", "name"],
          },
          ...responses(404),
        },
      },
    },
    async (request, reply) => {
      const user = await identity.createUser(request.params.tenantId, request.body.name);
      return reply.code(201).send({ id: user.id, tenantId: user.tenantId, name: user.name });
    },
  );

  app.post<TenantPath & { Body: { app: string; userId: string; scopes?: string[] } }>(
    "/tenants/:tenantId/tokens",
    {
      schema: {
        summary: "Issue a bearer token",
        description:
          "A token for an app acting for a user. It is in this answer only; Nudge keeps just its hash.",
        tags,
        params: tenantParams,
        body: {
          type: "object",
          properties: {
            app: { type: "string", minLength: 1, description: "The app's id or its client id." },
            userId: { type: "string", minLength: 1 },
            scopes: {
              type: "array",
              items: { type: "string", minLength: 1 },
              description: `Recorded with the token. Default: ${DEMO_SCOPES.join(", ")}.`,
            },
          },
          required: ["app", "userId"],
        },
        response: {
          201: { type: "object", properties: { token: { type: "string" } }, required: ["token"] },
          ...responses(404),
        },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      await identity.getTenant(tenantId);
      const { app: appId, userId, scopes } = request.body;
      const token = await identity.issueToken(tenantId, appId, userId, scopes ?? [...DEMO_SCOPES]);
      return reply.code(201).send({ token });
    },
  );

  app.post<TenantPath & { Body: { resourceId: string; userId: string } }>(
    "/tenants/:tenantId/grants",
    {
      schema: {
        summary: "Grant a user access to a resource",
        description:
          "The user may then see the resource, read its changes and subscribe to it, as its owner can.",
        tags,
        params: tenantParams,
        body: {
          type: "object",
          properties: {
            resourceId: { type: "string", minLength: 1 },
            userId: { type: "string", minLength: 1 },
          },
          required: ["resourceId", "userId"],
        },
        response: { 204: { type: "null", description: "Granted (or already granted)." }, ...responses(404) },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      await identity.getTenant(tenantId);
      await identity.grant(tenantId, request.body.resourceId, request.body.userId);
      return reply.code(204).send();
    },
  );
}
