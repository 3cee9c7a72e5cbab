/**
 * `/v1/resources/{id}/changes`: report changes in batches (all or nothing) and read the change
 * feed page by page with opaque tokens; `/v1/changes`: one batch across many resources, for a
 * platform that reports what happened everywhere in the last moment with one request. A page holds changes in journal order; its token is the
 * position after its last change, so following tokens yields every change exactly once.
 */
import type { FastifyInstance } from "fastify";
import { principalOf } from "../../http/auth.js";
import type { ChangeKind } from "../../resources/feed.js";
import type { Services } from "../../services.js";
import { decodeChangeToken, encodeChangeToken } from "./change-token.js";
import { errorResponses, idParams, limitProperty } from "./schema-parts.js";
import { changeJson, changeKinds, changeSchema } from "./wire.js";

const tags = ["changes"];
export const MAX_CHANGES_PER_BATCH = 1000;

const tokenDescription = "A change token: opaque, valid only for the resource it came from.";

const itemProperty = {
  type: "string",
  minLength: 1,
  maxLength: 1024,
  description: "Your id of the item.",
} as const;

type ReportedChange = { item: string; kind: ChangeKind };

export function registerChangeRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: { id: string }; Body: { changes: ReportedChange[] } }>(
    "/resources/:id/changes",
    {
      schema: {
        summary: "Report changes to an external resource",
        description:
          "Appends the changes to the resource's journal in one transaction (all of them or, on any error, none) and notifies its subscriptions.",
        tags,
        params: idParams,
        body: {
          type: "object",
          properties: {
            changes: {
              type: "array",
              minItems: 1,
              maxItems: MAX_CHANGES_PER_BATCH,
              items: {
                type: "object",
                properties: { item: itemProperty, kind: { type: "string", enum: changeKinds } },
                required: ["item", "kind"],
              },
            },
          },
          required: ["changes"],
        },
        response: {
          201: {
            type: "object",
            properties: {
              count: { type: "integer" },
              token: { type: "string", description: `${tokenDescription} Positioned after these changes.` },
            },
            required: ["count", "token"],
          },
          ...errorResponses(404, 413),
        },
      },
    },
    async (request, reply) => {
      const resource = await services.resources.get(principalOf(request), request.params.id);
      const seqs = await services.items.report(resource, request.body.changes, principalOf(request).userId);
      return reply
        .code(201)
        .send({ count: seqs.length, token: encodeChangeToken(resource.id, seqs.at(-1)!) });
    },
  );

  registerBatchRoute(app, services);

  app.get<{ Params: { id: string }; Querystring: { token?: string; limit: number } }>(
    "/resources/:id/changes",
    {
      schema: {
        summary: "Read the change feed",
        description:
          "Without a token: from the first change. With `token=latest`: no changes, and a token at the end of the feed. With a token from an earlier page or report: the changes after it. Pages are in journal order; repeat with the returned token while `hasMore` is true.",
        tags,
        params: idParams,
        querystring: {
          type: "object",
          properties: {
            token: { type: "string", minLength: 1, description: tokenDescription },
            limit: limitProperty,
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              value: { type: "array", items: changeSchema },
              token: { type: "string", description: `${tokenDescription} Keep it for the next read.` },
              hasMore: { type: "boolean" },
            },
            required: ["value", "token", "hasMore"],
          },
          ...errorResponses(404),
        },
      },
    },
    async (request) => {
      const resource = await services.resources.get(principalOf(request), request.params.id);
      const { token, limit } = request.query;
      if (token === "latest") {
        const latest = await services.feed.latestSeq(resource.id);
        return { value: [], token: encodeChangeToken(resource.id, latest), hasMore: false };
      }
      const after = token === undefined ? undefined : decodeChangeToken(token, resource.id);
      // One more than asked for tells whether another page follows, without a count query.
      const rows = await services.feed.page({
        resourceId: resource.id,
        ...(after !== undefined && { afterSeq: after }),
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      return {
        value: page.map(changeJson),
        token: encodeChangeToken(resource.id, page.at(-1)?.seq ?? after ?? 0),
        hasMore: rows.length > limit,
      };
    },
  );
}

/**
 * `POST /v1/changes`: changes to several resources in one transaction. Each change names its
 * resource; every resource must be an external one the caller can see, or nothing is written.
 */
function registerBatchRoute(app: FastifyInstance, services: Services): void {
  app.post<{ Body: { changes: Array<ReportedChange & { resource: string }> } }>(
    "/changes",
    {
      schema: {
        summary: "Report changes to several external resources",
        description:
          "Appends each change to its resource's journal, all in one transaction (all of them or, on any error, none), and notifies the resources' subscriptions. Answers with a token per resource, positioned after its changes, in the order the resources first appear.",
        tags,
        body: {
          type: "object",
          properties: {
            changes: {
              type: "array",
              minItems: 1,
              maxItems: MAX_CHANGES_PER_BATCH,
              items: {
                type: "object",
                properties: {
                  resource: { type: "string", minLength: 1, description: "The resource's id." },
                  item: itemProperty,
                  kind: { type: "string", enum: changeKinds },
                },
                required: ["resource", "item", "kind"],
              },
            },
          },
          required: ["changes"],
        },
        response: {
          201: {
            type: "object",
            properties: {
              count: { type: "integer" },
              resources: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    id: { type: "string" },
                    count: { type: "integer" },
                    token: {
                      type: "string",
                      description: `${tokenDescription} Positioned after these changes.`,
                    },
                  },
                  required: ["id", "count", "token"],
                },
              },
            },
            required: ["count", "resources"],
          },
          ...errorResponses(404, 413),
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const byResource = new Map<string, ReportedChange[]>();
      for (const { resource, item, kind } of request.body.changes) {
        const changes = byResource.get(resource) ?? [];
        if (changes.length === 0) byResource.set(resource, changes);
        changes.push({ item, kind });
      }
      const resources = await services.resources.getMany(principal, [...byResource.keys()]);
      const groups = resources.map((resource) => ({ resource, changes: byResource.get(resource.id)! }));
      const seqs = await services.items.reportBatch(groups, principal.userId);
      return reply.code(201).send({
        count: request.body.changes.length,
        resources: groups.map(({ resource }, i) => ({
          id: resource.id,
          count: seqs[i]!.length,
          token: encodeChangeToken(resource.id, seqs[i]!.at(-1)!),
        })),
      });
    },
  );
}
