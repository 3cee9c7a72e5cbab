/**
 * Delivery benchmark (not a test): how fast one Nudge node delivers, beside what raw undici can do
 * against the same receiver in the same run. Run with `npm run bench` (builds first).
 *
 *   A. baseline   raw undici Pool POSTs of a notification-sized body to distinct URLs
 *   B. Nudge      N subscriptions on N distinct URLs, one change each, so one notification per POST;
 *                 deliveries/s from the dispatcher starting until the receiver has counted all N
 *   C. latency    sequential changes with coalescing window 0: from the change being committed
 *                 (items.report returned) to its receipt at the receiver; p50 and p99
 *
 * The receiver is another process (bench/receiver.js). Settings (environment): BENCH_N (default
 * 3000), BENCH_BASELINE_N (default 20000), BENCH_LATENCY_SAMPLES (default 300). The baseline
 * runs before and after B, and the ratio is taken against the faster of the two (the machine's
 * load varies; the better baseline makes the ratio conservative).
 */
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { clearTimeout, setTimeout } from "node:timers";
import { Pool, request } from "undici";
import { Nudge, defaultConfig, validateConfig } from "../packages/server/dist/index.js";

const N = Number(process.env.BENCH_N ?? 10_000);
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 300);
// Raw POSTs are fast: the baseline sends more of them, so that it runs for seconds, not a blink.
const BASELINE_N = Number(process.env.BENCH_BASELINE_N ?? 20_000);
const now = () => performance.timeOrigin + performance.now();

const dir = mkdtempSync(join(tmpdir(), "nudge-bench-"));
const config = validateConfig({
  ...JSON.parse(JSON.stringify(defaultConfig)),
  server: { ...defaultConfig.server, port: 0, dev: false },
  database: { url: join(dir, "bench.db") },
  log: { level: "silent" },
  delivery: {
    ...defaultConfig.delivery,
    coalesceWindowMs: 0,
    thread: process.env.NUDGE_DELIVERY_THREAD ?? "worker",
  },
});
// The baseline gets as many connections and requests in flight as a Nudge node may use.
const CONCURRENCY = config.delivery.globalConcurrency;

const receiver = await startReceiver();
const origin = `http://127.0.0.1:${receiver.port}`;
let nudge;
try {
  nudge = await Nudge.open({ config });
  const { principal } = await benchIdentity(nudge.services);
  log(`setup: ${N} resources and subscriptions (one handshake each), one committed change each`);
  const setupStarted = now();
  const backlog = await subscribeMany(nudge.services, principal, N, (i) => `${origin}/nudge/${i}`);
  for (const resource of backlog)
    await nudge.services.items.report(resource, [{ item: "a", kind: "update" }], principal.userId);
  log(`setup took ${seconds(now() - setupStarted)}`);
  const sample = sampleBody();

  log(
    `A. baseline: ${BASELINE_N} raw undici Pool POSTs (${sample.length} bytes each), ${CONCURRENCY} in flight`,
  );
  const before = await rawPosts(BASELINE_N, sample);
  log(`   ${before.rate.toFixed(0)} requests/s (${seconds(before.elapsed)})`);

  log(`B. Nudge: ${N} deliveries, one notification per POST, distinct URLs`);
  receiver.send({ type: "reset" });
  const reached = receiver.next("reached");
  receiver.send({ type: "expect", count: N });
  // Fastify compiles its routes' schemas when it gets ready: start-up work, not delivery work.
  await nudge.app.ready();
  const profiler = process.env.BENCH_PROFILE ? await startProfile() : null;
  const started = now();
  await nudge.start();
  const end = await withDeadline(reached, 180_000, `${N} deliveries`);
  if (profiler) await profiler.stop(process.env.BENCH_PROFILE);
  const nudgeRate = N / ((end.at - started) / 1000);
  log(
    `   ${nudgeRate.toFixed(0)} deliveries/s (${seconds(end.at - started)}; ${Math.round(end.bytes / N)} bytes each)`,
  );

  log(`A. baseline again, after B`);
  const after = await rawPosts(BASELINE_N, sample);
  log(`   ${after.rate.toFixed(0)} requests/s (${seconds(after.elapsed)})`);
  const baseline = before.rate >= after.rate ? before : after;
  const ratio = nudgeRate / baseline.rate;
  log(`   ratio Nudge/baseline: ${ratio.toFixed(2)} (target >= 0.3)`);

  log(`C. latency: ${LATENCY_SAMPLES} sequential changes, coalescing window 0`);
  const latencies = await measureLatency(nudge.services, principal, LATENCY_SAMPLES);
  log(
    `   p50 ${latencies.p50.toFixed(2)} ms, p99 ${latencies.p99.toFixed(2)} ms, max ${latencies.max.toFixed(2)} ms`,
  );

  console.log(
    JSON.stringify({
      date: new Date().toISOString(),
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      node: process.version,
      n: N,
      concurrency: CONCURRENCY,
      baselineRequestsPerSecond: [Math.round(before.rate), Math.round(after.rate)],
      nudgeDeliveriesPerSecond: Math.round(nudgeRate),
      ratio: Number(ratio.toFixed(2)),
      latencyMs: { p50: round2(latencies.p50), p99: round2(latencies.p99), max: round2(latencies.max) },
    }),
  );
} finally {
  await nudge?.stop();
  receiver.send({ type: "stop" });
  rmSync(dir, { recursive: true, force: true });
}

/** A tenant, an app and a user, and the principal acting for them. */
async function benchIdentity(services) {
  const tenant = await services.identity.createTenant("Bench");
  const { app } = await services.identity.createApp(tenant.id, { name: "Bench app" });
  const user = await services.identity.createUser(tenant.id, "bench");
  const token = await services.identity.issueToken(tenant.id, app.id, user.id, ["nudge"]);
  return { principal: await services.identity.authenticate(token) };
}

/** `count` external resources, each with one native subscription; handshakes run 64 at a time. */
async function subscribeMany(services, principal, count, urlOf) {
  const resources = [];
  for (let start = 0; start < count; start += 64) {
    const chunk = [];
    for (let i = start; i < Math.min(start + 64, count); i++) {
      chunk.push(
        (async () => {
          const resource = await services.resources.create(principal, { kind: "external", title: `r${i}` });
          await services.subscriptions.create(principal, resource, services.profiles.native, {
            notificationUrl: urlOf(i),
          });
          return resource;
        })(),
      );
    }
    resources.push(...(await Promise.all(chunk)));
  }
  return resources;
}

/** A body the size and shape of a native notification. */
function sampleBody() {
  return JSON.stringify({
    value: [
      {
        subscriptionId: randomUUID(),
        resource: randomUUID(),
        tenantId: randomUUID(),
        clientState: null,
        expirationDateTime: new Date(Date.now() + 180 * 86_400_000).toISOString(),
      },
    ],
  });
}

/** Phase A: `count` POSTs to distinct paths through one Pool, CONCURRENCY in flight. */
async function rawPosts(count, body) {
  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1, keepAliveTimeout: 10_000 });
  // Open the connections first, as Nudge's were opened by the handshakes during setup.
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, i) => {
      const response = await request(`${origin}/warmup/${i}`, { method: "POST", dispatcher: pool, body });
      await response.body.dump();
    }),
  );
  receiver.send({ type: "reset" });
  const reached = receiver.next("reached");
  receiver.send({ type: "expect", count });
  let next = 0;
  const started = now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await request(`${origin}/raw/${i}`, {
        method: "POST",
        dispatcher: pool,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Nudge-bench",
          "x-nudge-delivery-id": randomUUID(),
        },
        body,
      });
      await response.body.dump();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const end = await withDeadline(reached, 60_000, `${count} raw POSTs`);
  await pool.close();
  const elapsed = end.at - started;
  return { rate: count / (elapsed / 1000), elapsed };
}

/** Phase C: one subscription, `samples` changes one after the other, each awaited at the receiver. */
async function measureLatency(services, principal, samples) {
  const [resource] = await subscribeMany(services, principal, 1, () => `${origin}/latency/0`);
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const receipt = receiver.next("receipt");
    await services.items.report(resource, [{ item: `l${i}`, kind: "update" }], principal.userId);
    const committed = now();
    const { at } = await withDeadline(receipt, 30_000, `the notification of change ${i}`);
    latencies.push(at - committed);
  }
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: pick(0.5), p99: pick(0.99), max: latencies.at(-1) };
}

/** Forks bench/receiver.js and waits for its port. */
async function startReceiver() {
  const child = fork(new URL("./receiver.js", import.meta.url), {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map();
  child.on("message", (message) => {
    const resolve = waiting.get(message.type);
    if (resolve) {
      waiting.delete(message.type);
      resolve(message);
    }
  });
  const next = (type) => new Promise((resolve) => waiting.set(type, resolve));
  const { port } = await next("listening");
  return { port, next, send: (message) => child.send(message) };
}

/** Fails the run, saying how far the receiver got, if `promise` has not settled within `ms`. */
async function withDeadline(promise, ms, what) {
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

function log(line) {
  console.log(line);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function round2(x) {
  return Math.round(x * 100) / 100;
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
