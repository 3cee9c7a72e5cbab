/**
 * The delivery thread's entry point: one dispatcher with a database connection, an HTTP agent and
 * a logger of its own, so its rounds (claims, target loads, body rendering, outcome writes: all
 * synchronous work on SQLite) never hold up the main thread's event loop, where change reports
 * and feed reads are answered. The main thread forwards its Wakeup's rings and asks for `idle()`
 * and `stop()` (delivery-thread-protocol.ts); everything else the dispatcher does is as on the
 * main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import pino from "pino";
import { systemClock } from "../clock.js";
import { SecretBox } from "../crypto/secret-box.js";
import { DeliveryDispatcher } from "../delivery/dispatcher.js";
import { createHttpAgent } from "../delivery/sender.js";
import { openDatabase } from "../store/open.js";
import { WRITERS, WriteTurn } from "../store/write-turn.js";
import { buildProfiles } from "../surfaces/profiles.js";
import { Wakeup } from "../wakeup.js";
import type { DeliveryThreadData, FromDeliveryThread, ToDeliveryThread } from "./delivery-thread-protocol.js";

if (!parentPort) throw new Error("delivery-worker.ts runs only as a worker thread (node/delivery-thread.ts)");
const port = parentPort;
const { config, nodeId, secretsKey, writeTurn } = workerData as DeliveryThreadData;
const tell = (message: FromDeliveryThread): void => port.postMessage(message);

async function run(): Promise<void> {
  const logger = pino({ level: config.log.level }).child({ thread: "delivery" });
  const db = await openDatabase(config.database.url, {
    poolSize: config.database.poolSize,
    // The main thread migrated the schema before starting this thread.
    migrate: false,
    ...(writeTurn && { writeTurn: new WriteTurn(writeTurn, WRITERS.deliveryThread) }),
    onIdleError: (err) => logger.warn({ err }, "database connection lost; reconnecting on next use"),
  });
  const http = createHttpAgent(config.delivery.globalConcurrency);
  const wakeup = new Wakeup();
  const dispatcher = new DeliveryDispatcher({
    db,
    clock: systemClock,
    config,
    wakeup,
    http,
    profiles: buildProfiles(config),
    logger,
    nodeId,
    secrets: new SecretBox(Buffer.from(secretsKey)),
  });
  let stopping: Promise<void> | null = null;
  port.on("message", (message: ToDeliveryThread) => {
    if (message.type === "ring") wakeup.ring();
    else if (message.type === "idle")
      void dispatcher.idle().then(() => tell({ type: "idle", id: message.id }));
    else
      stopping ??= (async () => {
        await dispatcher.stop();
        await http.close();
        await db.destroy();
        tell({ type: "stopped" });
        // Nothing is left to keep the thread alive: it ends, and the main thread sees it exit.
        port.close();
      })();
  });
  dispatcher.start();
  tell({ type: "started" });
}

run().catch((error: unknown) => {
  const e = error instanceof Error ? error : new Error(String(error));
  tell({ type: "failed", message: e.message, ...(e.stack && { stack: e.stack }) });
  port.close();
});
