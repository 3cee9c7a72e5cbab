/**
 * A real HTTP server on 127.0.0.1, port 0, for a receiver under test. Its handler can be swapped
 * (`use`), so a "restarted" receiver — a new instance with the same store — answers at the same URL
 * the subscription already names.
 */
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export class ReceiverHost {
  #handler: RequestListener = (_req, res) => res.writeHead(503).end();

  private constructor(readonly server: Server) {}

  static async start(): Promise<ReceiverHost> {
    const server = createServer((req, res) => host.#handler(req, res));
    const host = new ReceiverHost(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return host;
  }

  use(handler: RequestListener): void {
    this.#handler = handler;
  }

  url(path = "/hook"): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
