/** `/v1/resources`: register external resources and read the ones the caller can see. */
import type { FastifyInstance } from "fastify";
import { principalOf } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { errorResponses, idParams } from "./schema-parts.js";
import { collectionOf, resourceJson, resourceSchema } from "./wire.js";

const tags = ["resources"];

export function registerResourceRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Body: { title: string; kind?: "external" } }>(
    "/resources",
    {
      schema: {
        summary: "Register an external resource",
        description:
          "An external resource's items live in your own system; you report their changes with POST /v1/resources/{id}/changes.",
        tags,
        body: {
          type: "object",
          properties: {
            title: { type: "string", minLength: 1, maxLength: 256 },
            kind: { type: "string", enum: ["external"], default: "external" },
          },
          required: ["title"],
        },
        response: { 201: resourceSchema, ...errorResponses() },
      },
    },
    async (request, reply) => {
      const resource = await services.resources.create(principalOf(request), {
        kind: "external",
        title: request.body.title,
      });
      return reply.code(201).send(resourceJson(resource));
    },
  );

  app.get(
    "/resources",
    {
      schema: {
        summary: "List the resources the caller can see",
        description: "Resources the caller owns or has been granted, of every kind.",
        tags,
        response: {
          200: collectionOf(resourceSchema, "The resources the caller can see."),
          ...errorResponses(),
        },
      },
    },
    async (request) => ({ value: (await services.resources.list(principalOf(request))).map(resourceJson) }),
  );

  app.get<{ Params: { id: string } }>(
    "/resources/:id",
    {
      schema: {
        summary: "Get a resource",
        tags,
        params: idParams,
        response: { 200: resourceSchema, ...errorResponses(404) },
      },
    },
    async (request) => resourceJson(await services.resources.get(principalOf(request), request.params.id)),
  );

  app.post<{ Params: { id: string }; Body: { userId: string } }>(
    "/resources/:id/grants",
    {
      schema: {
        summary: "Share a resource with another user",
        description:
          "The owner lets another user of the tenant see the resource, read its feed and subscribe to it. Notifications follow the owner's resource: the grantee's own subscriptions elsewhere are not notified.",
        tags,
        params: idParams,
        body: {
          type: "object",
          properties: { userId: { type: "string", minLength: 1 } },
          required: ["userId"],
          additionalProperties: false,
        },
        response: { 204: { type: "null" }, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await services.resources.share(principalOf(request), request.params.id, request.body.userId);
      return reply.code(204).send();
    },
  );
}
