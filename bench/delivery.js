/**
 * Delivery benchmark (not a test), issue 9's P1 and P8: how fast one Nudge node delivers, beside
 * the strongest raw undici client and a BullMQ + undici dispatcher, against the same receiver, body
 * and number of URLs, in the same run. Run with `npm run bench` (builds first).
 *
 *   A. raw undici  POSTs of a notification's size and shape to distinct paths through one Pool;
 *                  several pool sizes, each warmed up, the fastest counts; again after B and D
 *   B. Nudge       N subscriptions on N distinct URLs, one change each, so one notification per
 *                  POST. The changes are committed during setup and held back; the node starts,
 *                  delivers a warm-up batch (its connections open, as a running node's are), goes
 *                  idle, and then one UPDATE makes all N due. Deliveries/s from that UPDATE until
 *                  the receiver has counted N.
 *   D. BullMQ      the same N notifications as BullMQ jobs on Redis, a BullMQ Worker POSTing them
 *                  with undici (bench/lib/bullmq-dispatcher.js); several concurrencies, the fastest
 *                  counts
 *   C. latency     sequential changes with coalescing window 0: from the change being committed
 *                  (items.report returned) to its receipt at the receiver; p50 and p99
 *
 * The receiver is another process (bench/receiver.js). Settings (environment): BENCH_N (default
 * 50000), BENCH_BASELINE_N (default N), BENCH_LATENCY_SAMPLES (300), BENCH_RAW_CONNECTIONS
 * (64,128,256), BENCH_BULLMQ_CONCURRENCY (64,256; empty skips D), NUDGE_DELIVERY_THREAD (worker,
 * as `nudge serve`; or main), BENCH_PROFILE (a file: a CPU profile of B, main thread). The last
 * line printed is the result as JSON.
 */
import { bestRawPosts, notificationBody, rawPosts } from "./lib/raw-undici.js";
import { BULLMQ_CONCURRENCY, bullmqRun, ensureRedis } from "./lib/bullmq-dispatcher.js";
import { log, machine, now, percentiles, seconds } from "./lib/figures.js";
import {
  benchIdentity,
  holdMarksBack,
  openBenchNode,
  releaseMarks,
  subscribeMany,
} from "./lib/nudge-node.js";
import { startReceiver, withDeadline } from "./lib/receiver-process.js";

const N = Number(process.env.BENCH_N ?? 50_000);
const BASELINE_N = Number(process.env.BENCH_BASELINE_N ?? N);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300);
const BULLMQ = process.env.BENCH_BULLMQ_CONCURRENCY === "" ? [] : BULLMQ_CONCURRENCY;
const HELD = "%/nudge/%";

const receiver = await startReceiver();
const node = await openBenchNode();
const { nudge, config } = node;
try {
  const { principal } = await benchIdentity(nudge.services);
  const concurrency = config.delivery.globalConcurrency;
  log(`setup: ${N} resources and subscriptions (one handshake each), one committed change each`);
  const setupStarted = now();
  const backlog = await subscribeMany(nudge.services, principal, N, (i) => `${receiver.origin}/nudge/${i}`);
  const warmup = await subscribeMany(
    nudge.services,
    principal,
    concurrency * 4,
    (i) => `${receiver.origin}/nudge-warmup/${i}`,
  );
  for (const resource of backlog)
    await nudge.services.items.report(resource, [{ item: "a", kind: "update" }], principal.userId);
  await holdMarksBack(nudge, HELD);
  for (const resource of warmup)
    await nudge.services.items.report(resource, [{ item: "w", kind: "update" }], principal.userId);
  log(`   took ${seconds(now() - setupStarted)}`);
  const body = notificationBody();

  log(
    `A. raw undici: ${BASELINE_N} POSTs (${body.length} bytes each), Pool of ${process.env.BENCH_RAW_CONNECTIONS ?? "64,128,256"} connections`,
  );
  const rawBefore = await bestRawPosts(receiver, { count: BASELINE_N, body });
  for (const run of rawBefore) log(`   ${run.connections} connections: ${run.rate.toFixed(0)} requests/s`);

  log(
    `B. Nudge (dispatcher thread: ${config.delivery.thread}): ${N} deliveries, one notification per POST, distinct URLs`,
  );
  const warmed = receiver.expect(warmup.length);
  await nudge.app.ready();
  await nudge.start();
  await withDeadline(receiver, warmed, 60_000, "the warm-up deliveries");
  await nudge.dispatcher.idle();
  const reached = receiver.expect(N);
  const profiler = process.env.BENCH_PROFILE ? await startProfile() : null;
  const started = now();
  await releaseMarks(nudge, HELD);
  const end = await withDeadline(receiver, reached, 300_000, `${N} deliveries`);
  if (profiler) await profiler.stop(process.env.BENCH_PROFILE);
  const nudgeRate = N / ((end.at - started) / 1000);
  log(
    `   ${nudgeRate.toFixed(0)} deliveries/s (${seconds(end.at - started)}; ${Math.round(end.bytes / N)} bytes each)`,
  );

  const bullmq = [];
  if (BULLMQ.length) {
    await ensureRedis();
    log(`D. BullMQ + undici: ${N} jobs, one POST each, Worker concurrency ${BULLMQ.join(", ")}`);
    for (const c of BULLMQ) {
      const run = await bullmqRun(receiver, {
        count: N,
        concurrency: c,
        bodyOf: () => body,
        pathOf: (i) => `/bullmq/${i}`,
      });
      log(`   concurrency ${c}: ${run.rate.toFixed(0)} deliveries/s (${seconds(run.elapsed)})`);
      bullmq.push(run);
    }
    bullmq.sort((a, b) => b.rate - a.rate);
  }

  log(`A. raw undici again, ${rawBefore[0].connections} connections (the fastest before)`);
  const rawAfter = await rawPosts(receiver, {
    count: BASELINE_N,
    body,
    connections: rawBefore[0].connections,
  });
  log(`   ${rawAfter.rate.toFixed(0)} requests/s`);
  const raw = Math.max(rawBefore[0].rate, rawAfter.rate);
  const ratio = nudgeRate / raw;
  const ratioBullmq = bullmq.length ? nudgeRate / bullmq[0].rate : null;
  log(`   Nudge ÷ raw undici: ${ratio.toFixed(2)} (goal >= 0.5)`);
  if (ratioBullmq !== null) log(`   Nudge ÷ BullMQ: ${ratioBullmq.toFixed(2)} (goal >= 2)`);

  log(`C. latency: ${LATENCY_SAMPLES} sequential changes, coalescing window 0`);
  const latency = await measureLatency(nudge.services, principal, LATENCY_SAMPLES);
  log(`   p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms`);

  console.log(
    JSON.stringify({
      ...machine(),
      n: N,
      thread: config.delivery.thread,
      concurrency,
      rawRequestsPerSecond: {
        before: Object.fromEntries(rawBefore.map((r) => [r.connections, Math.round(r.rate)])),
        after: Math.round(rawAfter.rate),
      },
      nudgeDeliveriesPerSecond: Math.round(nudgeRate),
      bullmqDeliveriesPerSecond: Object.fromEntries(bullmq.map((r) => [r.concurrency, Math.round(r.rate)])),
      ratio: Number(ratio.toFixed(2)),
      ratioBullmq: ratioBullmq === null ? null : Number(ratioBullmq.toFixed(2)),
      latencyMs: latency,
    }),
  );
} finally {
  await node.close();
  receiver.stop();
}

/** Phase C: one subscription, `samples` changes one after the other, each awaited at the receiver. */
async function measureLatency(services, principal, samples) {
  const [resource] = await subscribeMany(services, principal, 1, () => `${receiver.origin}/latency/0`);
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const receipt = receiver.next("receipt");
    await services.items.report(resource, [{ item: `l${i}`, kind: "update" }], principal.userId);
    const committed = now();
    const { at } = await withDeadline(receiver, receipt, 30_000, `the notification of change ${i}`);
    latencies.push(at - committed);
  }
  return percentiles(latencies);
}

/** BENCH_PROFILE=file.cpuprofile: a CPU profile of phase B alone (open it in Chrome DevTools). */
async function startProfile() {
  const { Session } = await import("node:inspector/promises");
  const { writeFileSync } = await import("node:fs");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}
