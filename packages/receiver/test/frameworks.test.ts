/**
 * The same receiver under plain node:http, Express (with and without a JSON body parser in front)
 * and Fastify (as a plugin): the handshake passes, a notification is synced, a forged one is 403.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { fastifyWebhook } from "../src/http/fastify.js";
import { createReceiver, type Receiver } from "../src/receiver.js";
import { MemoryTokenStore } from "../src/store/token-store.js";
import { postTo } from "./helpers/post.js";
import { ChangeRecorder } from "./helpers/recorder.js";
import { SURFACE_FIXTURES } from "./helpers/surfaces.js";

/** Serves the receiver at /hook on 127.0.0.1, port 0; answers the base URL and a stop function. */
type Mount = (receiver: Receiver) => Promise<{ url: string; stop: () => Promise<void> }>;

async function listening(server: Server): Promise<{ url: string; stop: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const FRAMEWORKS: Array<{ name: string; mount: Mount }> = [
  { name: "node:http", mount: (receiver) => listening(createServer(receiver)) },
  {
    name: "Express with express.json()",
    mount: (receiver) => {
      const app = express();
      app.use(express.json());
      app.post("/hook", receiver);
      return listening(createServer(app));
    },
  },
  {
    name: "Express without a body parser",
    mount: (receiver) => {
      const app = express();
      app.post("/hook", receiver);
      return listening(createServer(app));
    },
  },
  {
    name: "Fastify",
    mount: async (receiver) => {
      const app = Fastify();
      await app.register(fastifyWebhook(receiver, { path: "/hook" }));
      const url = await app.listen({ port: 0, host: "127.0.0.1" });
      return { url, stop: () => app.close() };
    },
  },
];

const native = SURFACE_FIXTURES.find((f) => f.surface === "native")!;

describe.each(FRAMEWORKS)("the receiver under $name", ({ mount }) => {
  let t: TestNudge;
  let stop: (() => Promise<void>) | undefined;
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    await stop?.();
    await t?.stop();
  });

  it("passes Nudge's handshake, syncs a notified change, and refuses a forged notification", async () => {
    t = await startTestNudge();
    const s = await native.prepare(t);
    const recorder = new ChangeRecorder(s.nameOf);
    receiver = createReceiver({
      surface: "native",
      feed: { baseUrl: s.feedBaseUrl },
      store: new MemoryTokenStore(),
      getAccessToken: () => t.demo.users.alice.token,
      onChanges: recorder.onChanges,
      ...s.verification,
    });
    const mounted = await mount(receiver);
    stop = mounted.stop;
    const keeper = await s.connect(`${mounted.url}/hook`);
    keeper!.stop();
    await s.change("a");
    await recorder.waitForNames(["a"]);
    expect((await postTo(`${mounted.url}/hook`, { value: [s.forgedEntry()] })).status).toBe(403);
    expect((await postTo(`${mounted.url}/hook?validationToken=x%20y`)).text).toBe("x y");
  });
});
