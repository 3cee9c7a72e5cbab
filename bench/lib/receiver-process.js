/**
 * The benchmarks' webhook receiver (bench/receiver.js) in a process of its own, and a deadline that
 * says how far it got when a phase takes too long.
 */
import { fork } from "node:child_process";
import { clearTimeout, setTimeout } from "node:timers";

/** Forks bench/receiver.js; `next(type)` resolves with the next message of that type (in order). */
export async function startReceiver() {
  const child = fork(new URL("../receiver.js", import.meta.url), {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map();
  const listeners = new Set();
  child.on("message", (message) => {
    for (const listener of listeners) listener(message);
    const queue = waiting.get(message.type);
    if (queue?.length) queue.shift()(message);
  });
  const next = (type) =>
    new Promise((resolve) => {
      if (!waiting.has(type)) waiting.set(type, []);
      waiting.get(type).push(resolve);
    });
  const { port } = await next("listening");
  const send = (message) => child.send(message);
  return {
    port,
    pid: child.pid,
    origin: `http://127.0.0.1:${port}`,
    next,
    send,
    /**
     * Calls `listener` with every message: a stream of receipts must use this, since messages
     * that arrive together reach `next()` before its next call and only the first is seen.
     */
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** Resets the count; resolves once `count` POSTs (or notifications, by `unit`) have arrived. */
    expect(count, unit = "posts") {
      send({ type: "reset" });
      const reached = next("reached");
      send({ type: "expect", count, unit });
      return reached;
    },
    stop: () => send({ type: "stop" }),
  };
}

/** Fails the run, saying how far the receiver got, if `promise` has not settled within `ms`. */
export async function withDeadline(receiver, promise, ms, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(async () => {
      const stats = receiver.next("stats");
      receiver.send({ type: "stats" });
      const { count } = await stats;
      reject(new Error(`waited ${ms / 1000} s for ${what}; the receiver has counted ${count}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
