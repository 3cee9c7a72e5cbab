/**
 * The receiver as a Fastify plugin: `app.register(fastifyWebhook(receiver, { path: "/hook" }))`.
 * Inside the plugin every body is taken raw, whatever its Content-Type, because Fastify's own JSON
 * parser refuses an empty body (a handshake has none) and a signature check needs the bytes.
 * Fastify encapsulates a plugin's parsers, so the rest of the app keeps its own.
 * Typed structurally, so this package does not depend on Fastify.
 */
import type { Receiver } from "../receiver.js";

interface FastifyLikeRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  headers(headers: Record<string, string>): FastifyLikeReply;
  send(body: string): unknown;
}

export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    type: string,
    options: { parseAs: "buffer" },
    parser: (request: unknown, body: Buffer, done: (error: Error | null, body?: unknown) => void) => void,
  ): void;
  route(route: {
    method: string[];
    url: string;
    handler: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<unknown>;
  }): unknown;
}

export function fastifyWebhook(
  receiver: Receiver,
  options: { path: string },
): (app: FastifyLikeInstance) => Promise<void> {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
    app.route({
      method: ["GET", "POST"],
      url: options.path,
      handler: async (request, reply) => {
        const answer = await receiver.answer({
          method: request.method,
          url: request.url,
          headers: request.headers,
          body: request.body,
        });
        return reply.code(answer.status).headers(answer.headers).send(answer.body);
      },
    });
  };
}
