/**
 * Isolation benchmark (not a test), issue 9's P4: what receivers that never answer, or answer too
 * late, cost the healthy ones. Run with `npm run bench:isolation` (builds first).
 *
 * Three receivers on loopback, each its own origin: the healthy one (bench/receiver.js, its own
 * process, answering 200 at once), a black hole (accepts TCP connections and never answers) and a
 * slow one (answers after `BENCH_SLOW_MS`, 20 s: past the delivery time-out). One Nudge node in
 * this process (built server, a temporary SQLite file, coalescing window 0, logs off, the
 * dispatcher in its own thread, every other setting at its default). Each run has a fresh node.
 *
 *   bulk     `BENCH_N` healthy subscriptions with one change each, committed and held back, made
 *            due at once; the time until the healthy receiver has counted N. Clean: only those.
 *            Dirty: plus N/8 subscriptions on the black hole and N/8 on the slow receiver (10 % of
 *            all subscriptions each), their changes made due with the healthy ones.
 *   steady   `BENCH_STEADY_SUBSCRIPTIONS` healthy subscriptions (and, dirty, an eighth as many on each
 *            bad receiver) get `BENCH_RATE` changes a second in turn for `BENCH_STEADY_SECONDS`;
 *            change → receipt p50/p99 of the healthy ones.
 *
 * BENCH_SLOW_AFTER_MS sets the node's delivery.slowAfterMs (the slow lane, delivery/in-flight.ts).
 * Ratios are dirty ÷ clean (throughput: goal ≥ 0.9; p99: unchanged within noise). The last line
 * printed is the result as JSON.
 */
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import { setTimeout as later } from "node:timers";
import { setTimeout as sleep } from "node:timers/promises";
import { log, machine, now, percentiles, seconds } from "./lib/figures.js";
import {
  benchIdentity,
  holdMarksBack,
  openBenchNode,
  releaseMarks,
  subscribeMany,
} from "./lib/nudge-node.js";
import { startReceiver, withDeadline } from "./lib/receiver-process.js";

const N = Number(process.env.BENCH_N ?? 20_000);
const SLOW_MS = Number(process.env.BENCH_SLOW_MS ?? 20_000);
const STEADY_SUBSCRIPTIONS = Number(process.env.BENCH_STEADY_SUBSCRIPTIONS ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 400);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 10);
// BENCH_SLOW_AFTER_MS: the node's delivery.slowAfterMs (60000 all but turns the slow lane off).
const NODE_OPTIONS = process.env.BENCH_SLOW_AFTER_MS
  ? { delivery: { slowAfterMs: Number(process.env.BENCH_SLOW_AFTER_MS) } }
  : {};

const receiver = await startReceiver();
const blackHole = await listen(createTcpServer(() => undefined));
const slow = await listen(
  createHttpServer((req, res) => {
    const query = new URL(req.url, "http://slow").searchParams;
    const token = query.get("validationtoken") ?? query.get("validationToken");
    req.resume();
    // Handshakes are answered at once (or the subscription could not be made); notifications late.
    if (token !== null) res.writeHead(200, { "content-type": "text/plain" }).end(token);
    else later(() => res.writeHead(200).end(), SLOW_MS).unref();
  }),
);
const results = {};
try {
  results.bulk = { clean: await bulk(false), dirty: await bulk(true) };
  results.bulk.ratio = Number(
    (results.bulk.dirty.healthyPerSecond / results.bulk.clean.healthyPerSecond).toFixed(2),
  );
  log(`bulk: dirty ÷ clean ${results.bulk.ratio} (goal >= 0.9)`);
  results.steady = { clean: await steady(false), dirty: await steady(true) };
  results.steady.p99Ratio = Number(
    (results.steady.dirty.receiptMs.p99 / results.steady.clean.receiptMs.p99).toFixed(2),
  );
  log(`steady: healthy p99 dirty ÷ clean ${results.steady.p99Ratio}`);
  console.log(JSON.stringify({ ...machine(), n: N, slowMs: SLOW_MS, rate: RATE, results }));
} finally {
  receiver.stop();
  blackHole.server.close();
  slow.server.closeAllConnections?.();
  slow.server.close();
}
// The slow receiver's pending answers and the black hole's sockets would keep the process alive.
process.exit(process.exitCode ?? 0);

async function bulk(dirty) {
  const label = dirty ? "dirty" : "clean";
  const node = await openBenchNode(NODE_OPTIONS);
  const { nudge } = node;
  try {
    const { principal } = await benchIdentity(nudge.services);
    log(
      `bulk ${label}: ${N} healthy subscriptions${dirty ? `, ${N / 8} on a black hole, ${N / 8} on a slow receiver` : ""}`,
    );
    const healthy = await subscribeMany(nudge.services, principal, N, (i) => `${receiver.origin}/nudge/${i}`);
    const bad = dirty ? await subscribeBadAll(nudge, principal, N / 8) : [];
    // Interleaved, so that the bad receivers' marks are due among the healthy ones, not after them.
    for (const r of interleave(healthy, bad))
      await nudge.services.items.report(r, [{ item: "a", kind: "update" }], principal.userId);
    await holdMarksBack(nudge, "%");
    await nudge.start();
    await nudge.dispatcher.idle();
    const reached = receiver.expect(N);
    const started = now();
    await releaseMarks(nudge, "%");
    const end = await withDeadline(receiver, reached, 600_000, `${N} healthy deliveries`);
    const healthyPerSecond = Math.round(N / ((end.at - started) / 1000));
    log(`   ${healthyPerSecond} healthy deliveries/s (${seconds(end.at - started)})`);
    return { healthyPerSecond };
  } finally {
    await node.close();
  }
}

/** The black-hole and slow subscriptions, `count` of each; returns their resources. */
async function subscribeBadAll(nudge, principal, count) {
  const slowOnes = await subscribeMany(
    nudge.services,
    principal,
    count,
    (i) => `http://127.0.0.1:${slow.port}/slow/${i}`,
  );
  const holes = await subscribeMany(nudge.services, principal, count, (i) => `${receiver.origin}/hole/${i}`);
  await pointAtTheHole(nudge);
  return [...slowOnes, ...holes];
}

async function pointAtTheHole(nudge) {
  const hole = `http://127.0.0.1:${blackHole.port}`;
  const { sql } = await import("kysely");
  await sql`update subscriptions set notification_url = replace(notification_url, ${receiver.origin}, ${hole}) where notification_url like ${"%/hole/%"}`.execute(
    nudge.db,
  );
}

async function steady(dirty) {
  const label = dirty ? "dirty" : "clean";
  const node = await openBenchNode(NODE_OPTIONS);
  const { nudge } = node;
  try {
    const { principal } = await benchIdentity(nudge.services);
    const healthy = await subscribeMany(
      nudge.services,
      principal,
      STEADY_SUBSCRIPTIONS,
      (i) => `${receiver.origin}/latency/${i}`,
    );
    const bad = dirty ? await subscribeBadAll(nudge, principal, STEADY_SUBSCRIPTIONS / 8) : [];
    await nudge.start();
    log(
      `steady ${label}: ${RATE} changes/s for ${STEADY_SECONDS} s over ${healthy.length} healthy${dirty ? ` and ${bad.length} bad` : ""} subscriptions`,
    );
    const reportedAt = new Map();
    const latencies = [];
    // The first second warms up (connections opened, code compiled) and is not counted.
    const counted = now() + 1000;
    const stop = receiver.on((message) => {
      if (message.type !== "receipt") return;
      const sent = reportedAt.get(message.path);
      if (sent === undefined) return;
      if (sent >= counted) latencies.push(message.at - sent);
      reportedAt.delete(message.path);
    });
    const all = [
      ...healthy.map((r, i) => ({ r, path: `/latency/${i}` })),
      ...bad.map((r) => ({ r, path: null })),
    ];
    const tickMs = 10;
    const perTick = RATE / (1000 / tickMs);
    let owed = 0;
    let n = 0;
    const end = counted + STEADY_SECONDS * 1000;
    while (now() < end) {
      owed += perTick;
      for (; owed >= 1; owed--) {
        const { r, path } = all[n++ % all.length];
        // A subscription with a change still on its way is left out: one receipt, one report.
        if (path !== null && reportedAt.has(path)) continue;
        const t = now();
        await nudge.services.items.report(r, [{ item: `s${n}`, kind: "update" }], principal.userId);
        if (path !== null) reportedAt.set(path, t);
      }
      await sleep(tickMs);
    }
    await sleep(1000);
    stop();
    const result = {
      receiptMs: percentiles(latencies),
      samples: latencies.length,
      unreceived: reportedAt.size,
    };
    log(
      `   healthy change → receipt ${JSON.stringify(result.receiptMs)} (${latencies.length} samples, ${reportedAt.size} not received within 1 s of the end)`,
    );
    return result;
  } finally {
    await node.close();
  }
}

/** `a` with `b`'s entries spread evenly among them. */
function interleave(a, b) {
  const out = [];
  const every = b.length ? a.length / b.length : Infinity;
  let j = 0;
  a.forEach((x, i) => {
    out.push(x);
    while (j < b.length && (i + 1) / every >= j + 1) out.push(b[j++]);
  });
  return out.concat(b.slice(j));
}

function listen(server) {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: server.address().port })),
  );
}
