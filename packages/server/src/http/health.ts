/** Health (the process answers) and readiness (it can serve: database open, dispatcher running). */
import type { FastifyInstance } from "fastify";

export function registerHealth(app: FastifyInstance, ready: () => boolean): void {
  const schema = {
    hide: false,
    security: [],
    response: {
      200: { type: "object", properties: { status: { type: "string" } } },
      503: { type: "object", properties: { status: { type: "string" } } },
    },
  };
  app.get(
    "/health",
    { schema: { ...schema, summary: "Liveness and readiness" } },
    async (_request, reply) => {
      if (!ready()) return reply.code(503).send({ status: "starting" });
      return { status: "ok" };
    },
  );
  app.get("/health/ready", { schema: { ...schema, summary: "Readiness" } }, async (_request, reply) => {
    if (!ready()) return reply.code(503).send({ status: "starting" });
    return { status: "ready" };
  });
}
