/**
 * What a TypeScript team would build instead of Nudge: a BullMQ queue of notifications on Redis and
 * a BullMQ Worker that POSTs each with undici, written the way BullMQ's guide suggests (`addBulk`
 * for many jobs, attempts with exponential backoff, `removeOnComplete` so Redis keeps no finished
 * jobs, one Worker with a `concurrency`). One job is one notification to one URL, as in Nudge's
 * one-notification-per-POST run.
 *
 * Redis is the machine's (BENCH_REDIS_URL, default redis://127.0.0.1:6379); if it does not answer,
 * it is started the way the machine starts it. The queue's keys are removed after each run.
 */
import { execFileSync } from "node:child_process";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { Agent } from "undici";
import { now } from "./figures.js";
import { withDeadline } from "./receiver-process.js";

const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** BullMQ Worker concurrencies to try (BENCH_BULLMQ_CONCURRENCY); the fastest counts. */
export const BULLMQ_CONCURRENCY = (process.env.BENCH_BULLMQ_CONCURRENCY ?? "64,256").split(",").map(Number);

export async function ensureRedis() {
  const probe = new Redis(REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    const { port } = new URL(REDIS_URL);
    execFileSync("redis-server", [
      "--daemonize",
      "yes",
      "--bind",
      "127.0.0.1",
      "--port",
      port || "6379",
      "--save",
      "",
      "--appendonly",
      "no",
    ]);
  } finally {
    probe.disconnect();
  }
}

/**
 * A warm-up of `count / 10` notifications (connections open, the JIT warm), then the timed run:
 * `count` notifications enqueued (untimed, as Nudge's changes are committed before its phase), the
 * Worker started, and the time until the receiver has counted `count`.
 */
export async function bullmqRun(receiver, { count, bodyOf, concurrency, pathOf }) {
  const agent = new Agent({ connections: concurrency, pipelining: 1, keepAliveTimeout: 10_000 });
  try {
    const warmup = Math.max(concurrency, Math.ceil(count / 10));
    await bullmqOnce(receiver, agent, {
      count: warmup,
      bodyOf,
      concurrency,
      pathOf: (i) => `/warmup-bullmq/${i}`,
    });
    return await bullmqOnce(receiver, agent, { count, bodyOf, concurrency, pathOf });
  } finally {
    await agent.close();
  }
}

async function bullmqOnce(receiver, agent, { count, bodyOf, concurrency, pathOf }) {
  const { hostname, port } = new URL(REDIS_URL);
  const connection = { host: hostname, port: Number(port || 6379), maxRetriesPerRequest: null };
  const name = `nudge-bench-${process.pid}-${concurrency}`;
  const queue = new Queue(name, { connection });
  let worker = null;
  try {
    await queue.obliterate({ force: true });
    for (let start = 0; start < count; start += 1000) {
      const jobs = [];
      for (let i = start; i < Math.min(start + 1000, count); i++) {
        jobs.push({
          name: "notify",
          data: { url: `${receiver.origin}${pathOf(i)}`, body: bodyOf(i) },
          opts: {
            attempts: 5,
            backoff: { type: "exponential", delay: 1000 },
            removeOnComplete: true,
            removeOnFail: 1000,
          },
        });
      }
      await queue.addBulk(jobs);
    }
    const reached = receiver.expect(count);
    const started = now();
    worker = new Worker(
      name,
      async (job) => {
        const url = new URL(job.data.url);
        const response = await agent.request({
          origin: url.origin,
          path: url.pathname,
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8", "x-delivery-id": job.id },
          body: job.data.body,
          headersTimeout: 10_000,
          bodyTimeout: 10_000,
        });
        await response.body.dump();
        if (response.statusCode < 200 || response.statusCode > 299)
          throw new Error(`the receiver answered ${response.statusCode}`);
      },
      { connection, concurrency },
    );
    const end = await withDeadline(receiver, reached, 300_000, `${count} BullMQ deliveries`);
    const elapsed = end.at - started;
    return { concurrency, rate: count / (elapsed / 1000), elapsed };
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
}
