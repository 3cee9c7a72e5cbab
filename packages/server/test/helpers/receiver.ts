/**
 * A real webhook receiver on 127.0.0.1, port 0. By default it passes every validation handshake
 * (echoing `validationtoken` or `validationToken` as text/plain) and answers notifications 200.
 * Tests change what it answers per path with `respond`.
 *
 * Waiting is on events, never on polling: `next()` resolves when the next request arrives,
 * `waitForNotifications()` when the count is reached. "Nothing more arrived" is checked with
 * `count()`/`none()` after the node's `settle()`, which proves every due delivery has been made.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
  /** Parsed JSON body, when there is one. */
  json: unknown;
  receivedAt: number;
}

export type Responder = (request: ReceivedRequest, res: ServerResponse) => void | Promise<void>;

export class TestReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly #responders = new Map<string, Responder>();
  /** Called with each request as it arrives (before it is answered). */
  readonly #arrivals = new Set<(request: ReceivedRequest) => void>();
  #server: Server | null = null;
  #port = 0;

  static async start(): Promise<TestReceiver> {
    const receiver = new TestReceiver();
    await receiver.#listen();
    return receiver;
  }

  get port(): number {
    return this.#port;
  }

  url(path = "/hook"): string {
    return `http://127.0.0.1:${this.#port}${path}`;
  }

  /** Sets what a path answers (handshakes included). */
  respond(path: string, responder: Responder): void {
    this.#responders.set(path, responder);
  }

  /** Notification POSTs (not handshakes) to a path, or to every path. */
  notifications(path?: string): ReceivedRequest[] {
    return this.requests.filter((r) => !isHandshake(r) && (path === undefined || r.path === path));
  }

  handshakes(path?: string): ReceivedRequest[] {
    return this.requests.filter((r) => isHandshake(r) && (path === undefined || r.path === path));
  }

  /** How many notifications (not handshakes) have arrived, at a path or anywhere. */
  count(path?: string): number {
    return this.notifications(path).length;
  }

  /** True when no notification has arrived (at a path, or anywhere): use after `settle()`. */
  none(path?: string): boolean {
    return this.count(path) === 0;
  }

  /**
   * The next request (handshake or notification) to arrive at a path, or anywhere, after this call.
   * It resolves when the request has been read, before it is answered.
   */
  next(path?: string, timeoutMs = 10_000): Promise<ReceivedRequest> {
    return this.#arrival(
      (r) => path === undefined || r.path === path,
      timeoutMs,
      () => `no request arrived${path ? ` at ${path}` : ""}`,
    );
  }

  /** The next notification (not a handshake) to arrive at a path, or anywhere, after this call. */
  nextNotification(path?: string, timeoutMs = 10_000): Promise<ReceivedRequest> {
    return this.#arrival(
      (r) => !isHandshake(r) && (path === undefined || r.path === path),
      timeoutMs,
      () => `no notification arrived${path ? ` at ${path}` : ""}`,
    );
  }

  /** Waits until at least `count` notifications have arrived (at a path, or anywhere). */
  async waitForNotifications(count: number, path?: string, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    while (this.count(path) < count) {
      await this.#arrival(
        (r) => !isHandshake(r) && (path === undefined || r.path === path),
        timeoutMs,
        () =>
          `timed out waiting for ${count} notification(s)${path ? ` at ${path}` : ""} (have ${this.count(path)})`,
      );
    }
    return this.notifications(path);
  }

  /**
   * Resolves on the first arriving request that `matches`. The deadline only turns a hang into a
   * clear failure (an AbortSignal, not a timer the test waits on).
   */
  #arrival(
    matches: (request: ReceivedRequest) => boolean,
    timeoutMs: number,
    failure: () => string,
  ): Promise<ReceivedRequest> {
    return new Promise((resolve, reject) => {
      const deadline = AbortSignal.timeout(timeoutMs);
      const onTimeout = (): void => {
        this.#arrivals.delete(listener);
        reject(new Error(failure()));
      };
      const listener = (request: ReceivedRequest): void => {
        if (!matches(request)) return;
        this.#arrivals.delete(listener);
        deadline.removeEventListener("abort", onTimeout);
        resolve(request);
      };
      deadline.addEventListener("abort", onTimeout, { once: true });
      this.#arrivals.add(listener);
    });
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.#server = null;
  }

  async #listen(): Promise<void> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    this.#port = (this.#server!.address() as AddressInfo).port;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://receiver");
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const request: ReceivedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      json,
      receivedAt: Date.now(),
    };
    this.requests.push(request);
    for (const listener of [...this.#arrivals]) listener(request);
    const responder = this.#responders.get(url.pathname) ?? defaultResponder;
    try {
      await responder(request, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  }
}

export function isHandshake(request: ReceivedRequest): boolean {
  return request.query.has("validationtoken") || request.query.has("validationToken");
}

export function validationTokenOf(request: ReceivedRequest): string | null {
  return request.query.get("validationtoken") ?? request.query.get("validationToken");
}

/** Echo the validation token; answer notifications 200. */
export const defaultResponder: Responder = (request, res) => {
  const token = validationTokenOf(request);
  if (token !== null) {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(token);
    return;
  }
  res.writeHead(200);
  res.end();
};

/** Pass handshakes, answer notifications with `status`. */
export function answerNotifications(status: number, headers: Record<string, string> = {}): Responder {
  return (request, res) => {
    if (isHandshake(request)) return defaultResponder(request, res);
    res.writeHead(status, headers);
    res.end();
  };
}

/** Pass handshakes, never answer notifications (the socket stays open until the client gives up). */
export const neverAnswer: Responder = (request, res) => {
  if (isHandshake(request)) return defaultResponder(request, res);
  // Leave `res` open: Nudge's time-out must fire.
};

/**
 * Answers with `responder` once `ms` of real time has passed: a receiver that is slow on purpose,
 * for tests of Nudge's time-outs and of its graceful stop. The delay is the thing under test, so it
 * lives here, in the receiver; the test itself waits on the outcome, never on a timer.
 */
export function answerAfter(ms: number, responder: Responder = defaultResponder): Responder {
  return async (request, res) => {
    await new Promise<void>((resolve) => {
      // eslint-disable-next-line no-restricted-syntax -- a deliberately slow receiver (see above)
      setTimeout(resolve, ms);
    });
    if (!res.destroyed) await responder(request, res);
  };
}

/** Answers nothing, handshakes included: the socket stays open until Nudge gives up. */
export const answerNothing: Responder = () => undefined;
