/**
 * The messages between a node's main thread (the HTTP API) and its delivery thread (the
 * dispatcher). Structured-clone data only: the thread opens its own database connection, HTTP
 * agent and logger from what `DeliveryThreadData` names.
 */
import type { Config } from "../config/defaults.js";

/** What the delivery thread is started with (`workerData`). */
export interface DeliveryThreadData {
  config: Config;
  nodeId: string;
  /** The secrets key, already resolved by the main thread (a file or the environment). */
  secretsKey: Uint8Array;
  /** SQLite: the node's write turn (store/write-turn.ts), shared with the main thread. */
  writeTurn?: SharedArrayBuffer;
}

/** Main thread → delivery thread. */
export type ToDeliveryThread = { type: "ring" } | { type: "idle"; id: number } | { type: "stop" };

/** Delivery thread → main thread. */
export type FromDeliveryThread =
  | { type: "started" }
  | { type: "idle"; id: number }
  | { type: "stopped" }
  | { type: "failed"; message: string; stack?: string };
