/**
 * The Fastify app factory. It never listens (only the runtime does), so tests can build it freely.
 * Each surface is a plugin with its own error format; this file only puts them together. Answers
 * that no surface's handler gives (router errors, unmatched paths, requests the HTTP parser
 * rejects) take the format of the surface that owns the path too (the registry, surfaces/index.ts).
 */
import swagger from "@fastify/swagger";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { Services } from "../services.js";
import { surfaces } from "../surfaces/index.js";
import { registerHealth, type HealthChecks } from "./health.js";
import { answerClientError } from "./client-errors.js";
import { acceptJsonBodies } from "../http/json-body.js";
import { answerFrameworkError, useOwnersErrors } from "./unrouted-errors.js";

export interface AppOptions {
  services: Services;
  logger: Logger;
  /** Reports whether the node is ready (database open, dispatcher running). */
  ready: () => boolean;
  /** Serve HTTPS with this certificate and key (PEM); plain HTTP without. */
  https?: { key: string; cert: string } | undefined;
  /** Readiness asks the database too, with this. */
  checkDatabase?: HealthChecks["database"];
  /** A dispatcher node serves /health only (server.role). */
  role?: "all" | "api" | "dispatcher";
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const settings = {
    loggerInstance: options.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: services.config.server.bodyLimitBytes,
    // Delivery ids, not request ids, are what people correlate; keep Fastify's short ids.
    requestIdHeader: false as const,
    // SharePoint and Graph paths are case-insensitive (`getByTitle` and `getbytitle`).
    // A longer path segment is a 414 pathSegmentTooLong (docs/errors.md names the limit).
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 100 },
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError(options.logger as FastifyBaseLogger),
  };
  // Fastify types an HTTPS instance by its server class; no route here depends on which it is.
  const app = (options.https
    ? Fastify({ ...settings, https: options.https })
    : Fastify(settings)) as unknown as FastifyInstance;
  acceptJsonBodies(app);
  useOwnersErrors(app);
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Nudge",
        version: "0.1.0",
        description:
          "Change notifications: subscriptions with a validation handshake, batched thin notifications, change feeds.",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
      security: [{ bearer: [] }],
    },
  });
  registerHealth(app, {
    ready: options.ready,
    ...(options.checkDatabase && { database: options.checkDatabase }),
    ...(options.role && { role: options.role }),
  });
  if (options.role === "dispatcher") return app;
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  for (const surface of surfaces) {
    await app.register(async (scope) => surface.register(scope, services), { prefix: surface.prefix });
  }
  return app;
}
