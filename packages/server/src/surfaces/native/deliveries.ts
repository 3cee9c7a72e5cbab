/**
 * The delivery record: attempts of a subscription, dead letters, and replay. It covers every
 * subscription the caller can see, whatever surface made it (SharePoint has no such API of its
 * own, and this is where its receivers' owners look).
 */
import type { FastifyInstance } from "fastify";
import { principalOf } from "../../http/auth.js";
import type { Services } from "../../services.js";
import { errorResponses, idParams, limitProperty } from "./schema-parts.js";
import { attemptJson, attemptSchema, collectionOf, deadLetterJson, deadLetterSchema } from "./wire.js";

const tags = ["deliveries"];

export function registerDeliveryRoutes(app: FastifyInstance, services: Services): void {
  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    "/subscriptions/:id/attempts",
    {
      schema: {
        summary: "List a subscription's delivery attempts",
        description: "Newest first. One row per notification per attempt.",
        tags,
        params: idParams,
        querystring: { type: "object", properties: { limit: limitProperty } },
        response: { 200: collectionOf(attemptSchema, "Attempts, newest first."), ...errorResponses(404) },
      },
    },
    async (request) => {
      const attempts = await services.deliveries.attemptsOf(
        principalOf(request),
        request.params.id,
        request.query.limit,
      );
      return { value: attempts.map(attemptJson) };
    },
  );

  app.get<{ Querystring: { subscription?: string; limit: number } }>(
    "/dead-letters",
    {
      schema: {
        summary: "List dead letters",
        description:
          "Notifications dropped after their retry schedule ran out, newest first; of one subscription with `?subscription=`.",
        tags,
        querystring: {
          type: "object",
          properties: { subscription: { type: "string", minLength: 1 }, limit: limitProperty },
        },
        response: {
          200: collectionOf(deadLetterSchema, "Dead letters, newest drop first."),
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const { subscription, limit } = request.query;
      const letters = await services.deliveries.deadLetters(principalOf(request), {
        ...(subscription && { subscriptionId: subscription }),
        limit,
      });
      return { value: letters.map(deadLetterJson) };
    },
  );

  app.get<{ Params: { id: string } }>(
    "/dead-letters/:id",
    {
      schema: {
        summary: "Get a dead letter",
        tags,
        params: idParams,
        response: { 200: deadLetterSchema, ...errorResponses(404) },
      },
    },
    async (request) =>
      deadLetterJson(await services.deliveries.deadLetter(principalOf(request), request.params.id)),
  );

  app.post<{ Params: { id: string } }>(
    "/dead-letters/:id/replay",
    {
      schema: {
        summary: "Replay a dead letter",
        description:
          "Queues the dropped notification again at once, with a fresh retry schedule. A disabled subscription must be renewed first (409 subscriptionDisabled).",
        tags,
        params: idParams,
        response: { 202: deadLetterSchema, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const letter = await services.deliveries.replay(principalOf(request), request.params.id);
      return reply.code(202).send(deadLetterJson(letter));
    },
  );
}
