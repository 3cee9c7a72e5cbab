/**
 * The dispatcher, run in a worker thread. A round's work is synchronous on SQLite (claims, target
 * loads, outcome writes) and a flat-out dispatcher keeps the event loop busy between POSTs; on
 * the main thread, change reports and feed reads queued behind it (issue 9 measured a `/v1`
 * report's p99 at over a second while a backlog drained). In its own thread the dispatcher has
 * its own event loop and its own database connection, and the main thread only forwards rings of
 * its Wakeup. The delivery guarantees are the database's, so they are unchanged: marks are
 * claimed with a lease, outcomes are written before marks are deleted, a kill loses nothing
 * acknowledged.
 *
 * The thread is used when the node delivers on the system clock from a database file; a fake
 * clock (tests move it by hand), a caller's logger (tests read its lines) or `:memory:` (a second
 * connection would see another database) keep the dispatcher on the main thread, as does
 * `delivery.thread: "main"`.
 */
import { once } from "node:events";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { Config } from "../config/defaults.js";
import type { DispatcherState } from "../delivery/dispatcher.js";
import { WRITERS, type WriteTurn } from "../store/write-turn.js";
import type { Wakeup } from "../wakeup.js";
import type { DeliveryThreadData, FromDeliveryThread, ToDeliveryThread } from "./delivery-thread-protocol.js";

/** What a node asks of its dispatcher, wherever it runs. */
export interface DeliveryEngine {
  readonly state: DispatcherState;
  start(): void;
  stop(): Promise<void>;
  /** Resolves once nothing is due now and nothing is in flight (see DeliveryDispatcher.idle). */
  idle(): Promise<void>;
}

export interface DeliveryThreadDeps {
  config: Readonly<Config>;
  nodeId: string;
  secretsKey: Buffer;
  wakeup: Wakeup;
  logger: Logger;
  /** SQLite: the node's write turn, which the thread shares (store/write-turn.ts). */
  writeTurn?: WriteTurn | undefined;
}

/** A thread that failed is started again after this long, doubling up to a minute. */
const RESTART_MS = 500;

export class DeliveryThread implements DeliveryEngine {
  #state: DispatcherState = "created";
  #worker: Worker | null = null;
  #stopForwarding: (() => void) | null = null;
  #ringQueued = false;
  #nextIdleId = 0;
  readonly #idleWaiters = new Map<number, () => void>();
  #restarts = 0;

  constructor(private readonly deps: DeliveryThreadDeps) {}

  get state(): DispatcherState {
    return this.#state;
  }

  start(): void {
    if (this.#state !== "created") throw new Error(`delivery thread cannot start from state ${this.#state}`);
    this.#state = "running";
    // Rings come in bursts (one per committed write): one message per turn of the event loop is enough.
    this.#stopForwarding = this.deps.wakeup.onRing(() => {
      if (this.#ringQueued) return;
      this.#ringQueued = true;
      queueMicrotask(() => {
        this.#ringQueued = false;
        this.#send({ type: "ring" });
      });
    });
    this.#spawn();
  }

  idle(): Promise<void> {
    if (this.#state !== "running" || !this.#worker) return Promise.resolve();
    const id = ++this.#nextIdleId;
    return new Promise((resolve) => {
      this.#idleWaiters.set(id, resolve);
      this.#send({ type: "idle", id });
    });
  }

  /** Asks the thread to stop as the dispatcher does (in-flight deliveries finish or are handed back). */
  async stop(): Promise<void> {
    if (this.#state !== "running") {
      this.#state = "stopped";
      return;
    }
    this.#state = "stopping";
    this.#stopForwarding?.();
    const worker = this.#worker;
    if (worker) {
      const exited = once(worker, "exit");
      worker.postMessage({ type: "stop" } satisfies ToDeliveryThread);
      // The dispatcher's own stop is bounded by the delivery time-out plus its grace; past that
      // (a thread stuck in a synchronous call) the thread is ended.
      const limit = this.deps.config.delivery.timeoutMs + 5000;
      const timer = setTimeout(() => void worker.terminate(), limit);
      await exited;
      clearTimeout(timer);
    }
    this.#resolveIdleWaiters();
    this.#state = "stopped";
  }

  #spawn(): void {
    const data: DeliveryThreadData = {
      config: structuredClone(this.deps.config) as Config,
      nodeId: this.deps.nodeId,
      secretsKey: new Uint8Array(this.deps.secretsKey),
      ...(this.deps.writeTurn && { writeTurn: this.deps.writeTurn.buffer }),
    };
    const worker = new Worker(workerEntry(), { workerData: data });
    this.#worker = worker;
    worker.on("message", (message: FromDeliveryThread) => this.#receive(message));
    worker.on("error", (error) => this.deps.logger.error({ err: error }, "delivery thread failed"));
    worker.on("exit", (code) => {
      this.#worker = null;
      // A thread ended inside a transaction (terminated, crashed) holds the turn no longer.
      this.deps.writeTurn?.release(WRITERS.deliveryThread);
      if (this.#state !== "running") return;
      // Unexpected: deliveries stop until the thread is back. Its claims are picked up again when
      // their leases end (or at once by the new thread: same node id, see lost-claims.ts).
      const delay = Math.min(RESTART_MS * 2 ** this.#restarts++, 60_000);
      this.deps.logger.error({ code, restartInMs: delay }, "delivery thread ended; starting it again");
      this.#resolveIdleWaiters();
      setTimeout(() => {
        if (this.#state === "running") this.#spawn();
      }, delay).unref();
    });
  }

  #receive(message: FromDeliveryThread): void {
    if (message.type === "started") this.#restarts = 0;
    else if (message.type === "idle") {
      this.#idleWaiters.get(message.id)?.();
      this.#idleWaiters.delete(message.id);
    } else if (message.type === "failed")
      this.deps.logger.error(
        { err: { message: message.message, stack: message.stack } },
        "delivery thread failed",
      );
  }

  #send(message: ToDeliveryThread): void {
    this.#worker?.postMessage(message);
  }

  #resolveIdleWaiters(): void {
    for (const resolve of this.#idleWaiters.values()) resolve();
    this.#idleWaiters.clear();
  }
}

/**
 * The built server runs `delivery-worker.js` as it is. From the TypeScript sources (tests, `tsx`),
 * the thread must load TypeScript too: a small module registers tsx's loader in the new thread,
 * then imports the `.ts` entry.
 */
function workerEntry(): URL {
  const own = new URL(import.meta.url);
  if (!own.pathname.endsWith(".ts")) return new URL("./delivery-worker.js", own);
  const entry = new URL("./delivery-worker.ts", own).href;
  // require.resolve finds the package's CommonJS build; its ES module build sits beside it.
  const tsx = pathToFileURL(
    createRequire(own)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
