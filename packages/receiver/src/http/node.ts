/**
 * The receiver as a node:http / Express handler: `(req, res, next?)`. Express may already have
 * parsed the body (`express.json()` sets `req.body`); otherwise the body is read here, up to a cap.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { WebhookAnswer, WebhookRequest } from "../webhook.js";

/** What Express adds to a request, when the receiver runs under it. */
export interface FrameworkRequest extends IncomingMessage {
  body?: unknown;
  originalUrl?: string;
}

export type NodeHandler = (
  req: FrameworkRequest,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

class BodyTooLargeError extends Error {}

export function nodeHandler(
  answer: (request: WebhookRequest) => Promise<WebhookAnswer>,
  maxBodyBytes: number,
): NodeHandler {
  return (req, res, next) => {
    serve(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) return send(res, { status: 413, headers: {}, body: "" });
      if (next) return next(error);
      send(res, { status: 500, headers: {}, body: "" });
    });
  };

  async function serve(req: FrameworkRequest, res: ServerResponse): Promise<void> {
    const body = req.body !== undefined ? req.body : await readBody(req, maxBodyBytes);
    const result = await answer({
      method: req.method ?? "GET",
      url: req.originalUrl ?? req.url ?? "/",
      headers: req.headers,
      body,
    });
    send(res, result);
  }
}

function send(res: ServerResponse, answer: WebhookAnswer): void {
  if (res.headersSent) return void res.end();
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      // Stop reading, but let the socket drain so the 413 can be sent.
      req.resume();
      throw new BodyTooLargeError();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
