/**
 * Health for load balancers and orchestrators.
 * - `/health` (liveness): the process answers and is running — not starting, not stopping. It does
 *   not touch the database, so an outage of the database does not get healthy nodes restarted.
 * - `/health/ready` (readiness): running, and the database answers a trivial query within a second
 *   or two. A node whose database is unreachable gets no traffic until it is back.
 */
import type { FastifyInstance } from "fastify";

export interface HealthChecks {
  /** Whether the node has started and is not stopping. */
  ready: () => boolean;
  /** Resolves when the database answers; rejects (or takes too long) when it does not. */
  database?: () => Promise<unknown>;
  /** What the node does (all, api, dispatcher), shown to whoever asks. */
  role?: string;
}

/** A readiness probe must answer quickly even when the database hangs. */
const DATABASE_CHECK_MS = 2000;

export function registerHealth(app: FastifyInstance, checks: HealthChecks): void {
  const status = {
    type: "object",
    properties: { status: { type: "string" }, role: { type: "string" }, reason: { type: "string" } },
  };
  const schema = { hide: false, security: [], response: { 200: status, 503: status } };
  const role = checks.role ? { role: checks.role } : {};
  app.get("/health", { schema: { ...schema, summary: "Liveness" } }, async (_request, reply) => {
    if (!checks.ready()) return reply.code(503).send({ status: "starting", ...role });
    return { status: "ok", ...role };
  });
  app.get(
    "/health/ready",
    { schema: { ...schema, summary: "Readiness: running, and the database answers" } },
    async (_request, reply) => {
      if (!checks.ready()) return reply.code(503).send({ status: "starting", ...role });
      if (checks.database && !(await answersWithin(checks.database, DATABASE_CHECK_MS))) {
        return reply.code(503).send({ status: "unavailable", reason: "database", ...role });
      }
      return { status: "ready", ...role };
    },
  );
}

async function answersWithin(check: () => Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check().then(() => true), late]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
