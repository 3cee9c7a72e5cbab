/**
 * Latency benchmark (not a test), issue 9's P2 and goal 5: how long a change takes from its report
 * to its receipt, and how long the native API takes to answer a change report, idle and while the
 * dispatcher works, with the dispatcher on the main thread and in its own thread
 * (`delivery.thread`). Run with `npm run bench:latency` (builds first).
 *
 * One Nudge node in this process, listening on loopback (built server, a temporary SQLite file,
 * coalescing window 0, logs off); the receiver is bench/receiver.js in its own process. A probe
 * reports one change at a time to its own resource with `POST /v1/resources/{id}/changes` over HTTP
 * (undici), `BENCH_PROBE_GAP_MS` apart; its subscription's notifications go to /latency/…, whose
 * receipt times the receiver reports. For each probe: API time (request sent → answer read) and
 * change → receipt (report sent → the receiver has the notification).
 * Main-thread event-loop delay (`monitorEventLoopDelay`) is sampled over each phase.
 *
 *   idle       the probe alone.
 *   steady     plus `BENCH_RATE` change reports per second (default 600) over HTTP to
 *              `BENCH_LOAD_SUBSCRIPTIONS` other resources, one subscription each on its own URL:
 *              the issue's "~600 changes/s being delivered".
 *   flat out   plus a backlog of `BENCH_BACKLOG` changes (one mark each, distinct URLs), committed
 *              during setup and held back, made due all at once by one UPDATE: the dispatcher
 *              drains it as fast as it can. The probe's own notifications wait behind that
 *              backlog (due order), so only API times count here.
 *
 * Times are `performance.timeOrigin + performance.now()` in both processes (same machine). The
 * last line printed is the result as JSON.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Pool } from "undici";
import { log, machine, now, percentiles } from "./lib/figures.js";
import {
  benchIdentity,
  holdMarksBack,
  openBenchNode,
  releaseMarks,
  subscribeMany,
} from "./lib/nudge-node.js";
import { startReceiver } from "./lib/receiver-process.js";

const PROBES = Number(process.env.BENCH_PROBES ?? 300);
const PROBE_GAP_MS = Number(process.env.BENCH_PROBE_GAP_MS ?? 10);
const RATE = Number(process.env.BENCH_RATE ?? 600);
const LOAD_SUBSCRIPTIONS = Number(process.env.BENCH_LOAD_SUBSCRIPTIONS ?? 2000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 20000);
const MODES = (process.env.BENCH_THREADS ?? "main,worker").split(",");

const receiver = await startReceiver();
const origin = receiver.origin;
const results = {};
try {
  for (const thread of MODES) results[thread] = await runMode(thread);
} finally {
  receiver.stop();
}

const ratio = (f) =>
  results.main && results.worker ? Number((f(results.main) / f(results.worker)).toFixed(1)) : null;
console.log(
  JSON.stringify({
    ...machine(),
    probes: PROBES,
    rate: RATE,
    backlog: BACKLOG,
    results,
    // How many times worse the main-thread dispatcher makes the API's p99 under each load.
    apiP99MainOverWorker: {
      steady: ratio((r) => r.steady.apiMs.p99),
      flatOut: ratio((r) => r.flatOut.apiMs.p99),
    },
  }),
);

async function runMode(thread) {
  const node = await openBenchNode({ thread });
  const { nudge } = node;
  let client = null;
  try {
    const { principal, token } = await benchIdentity(nudge.services);
    const probe = await subscribeMany(nudge.services, principal, 1, () => `${origin}/latency/probe`);
    const load = await subscribeMany(
      nudge.services,
      principal,
      LOAD_SUBSCRIPTIONS,
      (i) => `${origin}/load/${i}`,
    );
    const backlog = await subscribeMany(nudge.services, principal, BACKLOG, (i) => `${origin}/backlog/${i}`);
    // The backlog's changes are committed now and held back (due in a day) until the flat-out
    // phase makes them all due at once: writing them then would itself load the main thread.
    for (const resource of backlog)
      await nudge.services.items.report(resource, [{ item: "b", kind: "update" }], principal.userId);
    await holdMarksBack(nudge, "%/backlog/%");
    await nudge.start();
    client = new Pool(nudge.url, { connections: 64 });
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const report = async (resourceId, item) => {
      const started = now();
      const response = await client.request({
        path: `/v1/resources/${resourceId}/changes`,
        method: "POST",
        headers,
        body: JSON.stringify({ changes: [{ item, kind: "update" }] }),
      });
      await response.body.dump();
      if (response.statusCode !== 201 && response.statusCode !== 200 && response.statusCode !== 202)
        throw new Error(`change report answered ${response.statusCode}`);
      return { started, answered: now() };
    };
    // Warm-up: the routes, the connections, the first deliveries.
    for (let i = 0; i < 50; i++) await probeOnce(report, probe[0].id, `w${i}`);

    log(`[${thread}] idle: ${PROBES} probes`);
    const idle = await phase(() => probes(report, probe[0].id, "i"));

    log(
      `[${thread}] steady: ${RATE} changes/s to ${LOAD_SUBSCRIPTIONS} subscriptions, with ${PROBES} probes`,
    );
    const steady = await phase(async () => {
      const loadApi = [];
      let running = true;
      let n = 0;
      const generator = (async () => {
        const tickMs = 10;
        const perTick = RATE / (1000 / tickMs);
        let owed = 0;
        const pending = new Set();
        while (running) {
          owed += perTick;
          for (; owed >= 1; owed--) {
            const resource = load[n++ % load.length];
            const p = report(resource.id, `l${n}`).then((t) => loadApi.push(t.answered - t.started));
            pending.add(p);
            void p.finally(() => pending.delete(p));
          }
          await sleep(tickMs);
        }
        await Promise.all(pending);
      })();
      const measured = await probes(report, probe[0].id, "s");
      running = false;
      await generator;
      return { ...measured, loadApiMs: percentiles(loadApi), loadReports: n };
    });

    log(`[${thread}] flat out: ${BACKLOG} backlog changes drained while ${PROBES} probes report`);
    // Nothing of the steady phase may still be on its way when the receiver starts counting.
    await nudge.dispatcher.idle();
    const drained = receiver.expect(BACKLOG);
    const flatOut = await phase(async () => {
      const started = now();
      await releaseMarks(nudge, "%/backlog/%");
      let reachedAt = null;
      void drained.then((m) => (reachedAt = m.at));
      // Probes until the backlog has been delivered; their receipts wait behind it (not counted).
      const apiMs = [];
      for (let i = 0; reachedAt === null; i++) {
        const t = await report(probe[0].id, `f${i}`);
        apiMs.push(t.answered - t.started);
        await sleep(PROBE_GAP_MS);
      }
      return {
        apiMs: percentiles(apiMs),
        apiReports: apiMs.length,
        deliveriesPerSecond: Math.round(BACKLOG / ((reachedAt - started) / 1000)),
      };
    });
    const result = { idle, steady, flatOut };
    log(`[${thread}] ${JSON.stringify(result)}`);
    return result;
  } finally {
    await client?.close().catch(() => undefined);
    await node.close();
  }
}

/** Runs `work` with the main thread's event-loop delay sampled; adds it to the result. */
async function phase(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const result = await work();
  histogram.disable();
  // The histogram holds whole timer intervals: what exceeds the 1 ms resolution is the delay.
  const ms = (ns) => Math.max(0, Math.round((ns / 1e6 - 1) * 10) / 10);
  return {
    ...result,
    eventLoopDelayMs: {
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    },
  };
}

/** `PROBES` probes one after the other: API time and change → receipt of each. */
async function probes(report, resourceId, prefix) {
  const api = [];
  const receipt = [];
  for (let i = 0; i < PROBES; i++) {
    const t = await probeOnce(report, resourceId, `${prefix}${i}`);
    api.push(t.api);
    receipt.push(t.receipt);
    await sleep(PROBE_GAP_MS);
  }
  return { apiMs: percentiles(api), receiptMs: percentiles(receipt) };
}

async function probeOnce(report, resourceId, item) {
  const receipt = receiver.next("receipt");
  const t = await report(resourceId, item);
  const { at } = await receipt;
  // From the report sent: its commit happens somewhere before the answer is read.
  return { api: t.answered - t.started, receipt: at - t.started };
}
