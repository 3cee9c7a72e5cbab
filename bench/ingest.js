/**
 * Ingest benchmark (not a test), issue 9's P7: changes reported per second through the native API,
 * beside a bare Fastify route answering the same client with the same requests, in the same run.
 * Run with `npm run bench:ingest` (builds first).
 *
 * One Nudge node in this process (built server, a temporary SQLite file, logs off, the default
 * coalescing window, the dispatcher in its own thread as `nudge serve` runs it) with
 * `BENCH_RESOURCES` external resources, each with one subscription whose notifications go to
 * bench/receiver.js (another process): every change is journaled, marks its subscription and is
 * delivered, as in production. The bare route is Fastify with no schema, no authentication and no
 * database, answering 201 with a small JSON body: what the same HTTP stack costs by itself, the
 * strongest baseline there is.
 *
 * The client is bench/lib/load-client.js in a process of its own (undici Pool, `BENCH_CONNECTIONS`
 * connections and as many requests in flight, warmed up), sending `BENCH_REQUESTS` requests of
 * each shape:
 *
 *   single   POST /v1/resources/{id}/changes with one change (resources in turn)
 *   batch    POST /v1/changes with `BENCH_BATCH` changes over consecutive resources
 *
 * The bare route runs before and after Nudge for each shape; the faster run counts. Ratios are
 * changes/s ÷ changes/s (goal ≥ 0.5). The last line printed is the result as JSON.
 */
import { fork } from "node:child_process";
import Fastify from "fastify";
import { defaultConfig } from "../packages/server/dist/index.js";
import { log, machine } from "./lib/figures.js";
import { benchIdentity, openBenchNode, subscribeMany } from "./lib/nudge-node.js";
import { startReceiver } from "./lib/receiver-process.js";

const RESOURCES = Number(process.env.BENCH_RESOURCES ?? 1000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const BATCH = Number(process.env.BENCH_BATCH ?? 100);

const receiver = await startReceiver();
const node = await openBenchNode({ delivery: { coalesceWindowMs: defaultConfig.delivery.coalesceWindowMs } });
const bare = await bareFastify();
const client = fork(new URL("./lib/load-client.js", import.meta.url), {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const results = {};
try {
  const { nudge } = node;
  const { principal, token } = await benchIdentity(nudge.services);
  log(`setup: ${RESOURCES} external resources, one subscription each`);
  const resources = (
    await subscribeMany(nudge.services, principal, RESOURCES, (i) => `${receiver.origin}/ingest/${i}`)
  ).map((r) => r.id);
  await nudge.start();
  const shapes = [
    { shape: "single", changesPerRequest: 1, count: REQUESTS },
    {
      shape: "batch",
      changesPerRequest: BATCH,
      batch: BATCH,
      count: Math.max(200, Math.round(REQUESTS / 20)),
    },
  ];
  for (const { shape, changesPerRequest, batch, count } of shapes) {
    const job = { shape, batch, count, resources, token, connections: CONNECTIONS };
    log(`${shape}: ${count} requests of ${changesPerRequest} change(s), ${CONNECTIONS} connections`);
    const bareBefore = await load({ ...job, origin: bare.url });
    const measured = await load({ ...job, origin: nudge.url });
    const bareAfter = await load({ ...job, origin: bare.url });
    const bareBest = Math.max(bareBefore.requestsPerSecond, bareAfter.requestsPerSecond);
    const perChange = (rps) => Math.round(rps * changesPerRequest);
    results[shape] = {
      changesPerRequest,
      bareChangesPerSecond: [perChange(bareBefore.requestsPerSecond), perChange(bareAfter.requestsPerSecond)],
      nudgeChangesPerSecond: perChange(measured.requestsPerSecond),
      nudgeLatencyMs: measured.latencyMs,
      bareLatencyMs: bareBefore.latencyMs,
      ratio: Number((measured.requestsPerSecond / bareBest).toFixed(2)),
    };
    log(
      `   bare Fastify ${results[shape].bareChangesPerSecond.join(" / ")} changes/s; Nudge ${results[shape].nudgeChangesPerSecond} changes/s (p99 ${measured.latencyMs.p99} ms); ratio ${results[shape].ratio} (goal >= 0.5)`,
    );
  }
  console.log(JSON.stringify({ ...machine(), resources: RESOURCES, connections: CONNECTIONS, results }));
} finally {
  client.send({ type: "stop" });
  await bare.close();
  await node.close();
  receiver.stop();
}

/** Runs one job in the load client and waits for its figures. */
function load(job) {
  return new Promise((resolve, reject) => {
    client.once("message", (message) =>
      message.type === "done" ? resolve(message) : reject(new Error(message.message)),
    );
    client.send(job);
  });
}

/** The baseline: Fastify's routes with nothing behind them. */
async function bareFastify() {
  const app = Fastify({ logger: false });
  app.post("/v1/resources/:id/changes", async (request, reply) =>
    reply.code(201).send({ count: request.body.changes.length, token: "t" }),
  );
  app.post("/v1/changes", async (request, reply) =>
    reply.code(201).send({ count: request.body.changes.length, resources: [] }),
  );
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url, close: () => app.close() };
}
