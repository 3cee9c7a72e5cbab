/**
 * Cluster benchmark (not a test): deliveries per second with one and with two dispatcher nodes on
 * PostgreSQL, beside one node on SQLite and beside raw undici, in one run. Run with
 * `npm run bench:cluster` (builds first).
 *
 *   A. baseline     raw undici Pool POSTs of a notification-sized body to distinct URLs
 *   S. SQLite       one `nudge serve` process on a SQLite file
 *   P1. PostgreSQL  one `nudge serve --role dispatcher` process
 *   P2. PostgreSQL  two `nudge serve --role dispatcher` processes on one database
 *
 * Each of S, P1 and P2 starts from a fresh database holding N subscriptions on N distinct URLs
 * with one committed change each, made by this process before any node starts, and not yet due
 * (a long coalescing window). Once the nodes listen, one UPDATE makes every mark due at once;
 * deliveries/s is N over the time from that UPDATE until the receiver (bench/receiver.js, its own
 * process) has counted N notifications. Every node is a separate process of the built server, so
 * two nodes are two event loops, as on two machines (here they share the machine's cores with
 * PostgreSQL and the receiver).
 *
 * Settings (environment): BENCH_N (default 3000), BENCH_BASELINE_N (default 20000),
 * BENCH_POSTGRES (a server URL where the user may create databases; default
 * postgres://postgres@127.0.0.1:5432/postgres). The last line printed is the result as JSON.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import SQLite from "better-sqlite3";
import pg from "pg";
import { Nudge, defaultConfig, validateConfig } from "../packages/server/dist/index.js";
import { log, machine, now, seconds } from "./lib/figures.js";
import { benchIdentity, subscribeMany } from "./lib/nudge-node.js";
import { bestRawPosts, notificationBody, rawPosts } from "./lib/raw-undici.js";
import { startReceiver, withDeadline } from "./lib/receiver-process.js";

const N = Number(process.env.BENCH_N ?? 3000);
const BASELINE_N = Number(process.env.BENCH_BASELINE_N ?? 20_000);
const SERVER = process.env.BENCH_POSTGRES ?? "postgres://postgres@127.0.0.1:5432/postgres";
// Nodes on one PostgreSQL database must share a secrets key (clientStates are sealed with it).
const SECRETS_KEY = randomBytes(32).toString("base64");
const MAIN = fileURLToPath(new URL("../packages/server/dist/cli/main.js", import.meta.url));

const dir = mkdtempSync(join(tmpdir(), "nudge-bench-cluster-"));
const receiver = await startReceiver();
const origin = receiver.origin;
const databases = [];
try {
  const body = notificationBody();
  log(`A. baseline: ${BASELINE_N} raw undici Pool POSTs (${body.length} bytes each), the fastest pool size`);
  const [before] = await bestRawPosts(receiver, { count: BASELINE_N, body });
  log(`   ${before.rate.toFixed(0)} requests/s (${before.connections} connections)`);

  const sqliteUrl = join(dir, "bench.db");
  const sqlite = await phase("S. SQLite, one node", sqliteUrl, 1, "all");
  const p1 = await phase("P1. PostgreSQL, one dispatcher node", await freshPostgres("p1"), 1, "dispatcher");
  const p2 = await phase("P2. PostgreSQL, two dispatcher nodes", await freshPostgres("p2"), 2, "dispatcher");

  log(`A. baseline again`);
  const after = await rawPosts(receiver, { count: BASELINE_N, body, connections: before.connections });
  log(`   ${after.rate.toFixed(0)} requests/s`);
  const baseline = Math.max(before.rate, after.rate);
  log(
    `ratios to the baseline: SQLite ${(sqlite / baseline).toFixed(2)}, PostgreSQL x1 ${(p1 / baseline).toFixed(2)}, x2 ${(p2 / baseline).toFixed(2)}`,
  );
  console.log(
    JSON.stringify({
      ...machine(),
      n: N,
      baselineRequestsPerSecond: [Math.round(before.rate), Math.round(after.rate)],
      deliveriesPerSecond: {
        sqlite: Math.round(sqlite),
        postgres1: Math.round(p1),
        postgres2: Math.round(p2),
      },
    }),
  );
} finally {
  receiver.stop();
  for (const name of databases)
    await onServer((c) => c.query(`drop database if exists ${name} with (force)`));
  rmSync(dir, { recursive: true, force: true });
}

/** One measured phase: set up N due-later changes, start the nodes, make everything due, time it. */
async function phase(title, url, nodes, role) {
  log(`${title}: ${N} deliveries, one notification per POST, distinct URLs`);
  const setupStarted = now();
  await setUp(url);
  log(`   setup took ${seconds(now() - setupStarted)}`);
  const processes = [];
  try {
    for (let i = 1; i <= nodes; i++) processes.push(await startNode(url, role, `bench-${i}`));
    const reached = receiver.expect(N);
    const cpuBefore = cpuByPart(processes);
    const started = now();
    await makeAllDue(url);
    const end = await withDeadline(receiver, reached, 300_000, `${N} deliveries`);
    const rate = N / ((end.at - started) / 1000);
    const cpu = cpuUsed(cpuBefore, cpuByPart(processes));
    log(
      `   ${rate.toFixed(0)} deliveries/s (${seconds(end.at - started)}); CPU seconds: ${describeCpu(cpu)}`,
    );
    return rate;
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
}

/** N resources with a subscription each and one committed change, not due for an hour. */
async function setUp(url) {
  const config = validateConfig({
    ...JSON.parse(JSON.stringify(defaultConfig)),
    server: { ...defaultConfig.server, port: 0, dev: false },
    database: { ...defaultConfig.database, url },
    log: { level: "silent" },
    secrets: { ...defaultConfig.secrets, key: SECRETS_KEY },
    delivery: { ...defaultConfig.delivery, coalesceWindowMs: 3_600_000 },
  });
  // Opened, never started: only the services are used (no HTTP, no dispatcher).
  const nudge = await Nudge.open({ config });
  try {
    const services = nudge.services;
    const { principal } = await benchIdentity(services);
    const resources = await subscribeMany(services, principal, N, (i) => `${origin}/nudge/${i}`);
    for (const resource of resources)
      await services.items.report(resource, [{ item: "a", kind: "update" }], principal.userId);
  } finally {
    await nudge.stop();
  }
}

async function makeAllDue(url) {
  if (url.startsWith("postgres")) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("update pending_marks set due_at = 0");
    await client.end();
    return;
  }
  const db = new SQLite(url);
  db.pragma("busy_timeout = 5000");
  db.prepare("update pending_marks set due_at = 0").run();
  db.close();
}

/** `nudge serve` from the built server, polling often so that the UPDATE is seen at once. */
async function startNode(url, role, nodeId) {
  const child = spawn(process.execPath, [MAIN, "serve", "--port", "0", "--db", url, "--role", role], {
    env: {
      ...process.env,
      NUDGE_LOG_LEVEL: "warn",
      NUDGE_NODE_ID: nodeId,
      NUDGE_POLL_INTERVAL_MS: "10",
      NUDGE_DEV: "false",
      NUDGE_SECRETS_KEY: SECRETS_KEY,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Nudge listening on")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`node ${nodeId} exited with ${code}: ${output}`)));
  });
  return {
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        child.on("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

async function freshPostgres(suffix) {
  const name = `nudge_bench_${process.pid}_${suffix}`;
  await onServer((c) => c.query(`create database ${name}`));
  databases.push(name);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer(work) {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * CPU time (user + system, seconds) so far of the node processes, the PostgreSQL server's processes
 * and the receiver, read from /proc (Linux; elsewhere nothing is reported). It says where a phase's
 * time went on a machine whose cores all of them share.
 */
function cpuByPart(processes) {
  if (!existsSync("/proc/self/stat")) return null;
  const postgres = readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, "utf8").trim().startsWith("postgres");
      } catch {
        return false;
      }
    });
  const sum = (pids) => pids.reduce((total, pid) => total + cpuOf(pid), 0);
  return {
    nodes: sum(processes.map((p) => p.pid)),
    postgres: sum(postgres),
    receiver: cpuOf(receiver.pid),
  };
}

function cpuOf(pid) {
  try {
    // Fields 14 and 15 (after the command in parentheses): utime and stime, in clock ticks (1/100 s).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function cpuUsed(before, after) {
  if (!before || !after) return null;
  return Object.fromEntries(Object.keys(after).map((part) => [part, after[part] - before[part]]));
}

function describeCpu(cpu) {
  if (!cpu) return "n/a";
  return Object.entries(cpu)
    .map(([part, used]) => `${part} ${used.toFixed(2)}`)
    .join(", ");
}
