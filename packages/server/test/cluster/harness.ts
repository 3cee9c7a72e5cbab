/**
 * Several `nudge serve` processes on one PostgreSQL database, for the cluster tests: a database of
 * their own (made and dropped here), the nodes as child processes, a client that spreads writes
 * over the live nodes and retries what a dead node or a restarting database refused, and the
 * restart of the PostgreSQL server itself.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { ServeProcess, startDevServe, type DemoFile } from "../cli/process.js";
import { postgresRunUrl } from "@nudge/test-support";

const run = promisify(execFile);

export class ClusterDatabase {
  private constructor(
    readonly url: string,
    private readonly name: string,
  ) {}

  /** A fresh database on the server of the run's database. */
  static async create(): Promise<ClusterDatabase> {
    const name = `nudge_cluster_${process.pid}_${Date.now().toString(36)}`;
    await onServer((client) => client.query(`create database ${name}`));
    const url = new URL(serverUrl());
    url.pathname = `/${name}`;
    url.search = "";
    return new ClusterDatabase(url.toString(), name);
  }

  /** Runs one query on a short-lived connection (the server may have restarted since the last). */
  async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.url });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  }

  async drop(): Promise<void> {
    await onServer((client) => client.query(`drop database if exists ${this.name} with (force)`));
  }
}

/** A database on the test server to connect to while making and dropping others. */
function serverUrl(): string {
  return process.env.NUDGE_TEST_POSTGRES_SERVER_URL ?? postgresRunUrl();
}

async function onServer(work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

/**
 * How to restart the PostgreSQL server, or null for no restart. Restarting a server breaks every
 * connection to it, other people's included, so it is opt-in: NUDGE_TEST_POSTGRES_RESTART is the
 * shell command, or `1`/`pg_ctlcluster` for Debian's pg_ctlcluster of a server on this machine
 * (`.ci/run` asks for it: a CI machine's server is the run's own). Unset (or `0`): no restart.
 */
export function postgresRestartCommand(env: NodeJS.ProcessEnv = process.env): string | null {
  const asked = env.NUDGE_TEST_POSTGRES_RESTART?.trim() ?? "";
  if (asked === "" || asked === "0") return null;
  if (asked !== "1" && asked !== "pg_ctlcluster") return asked;
  const host = new URL(serverUrl()).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]", ""].includes(host)) return null;
  if (!existsSync("/etc/postgresql") || !existsSync("/usr/bin/pg_ctlcluster")) return null;
  const [version] = readdirSync("/etc/postgresql");
  if (!version) return null;
  return `pg_ctlcluster --skip-systemctl-redirect -m fast ${version} main restart`;
}

export async function restartPostgres(command: string): Promise<void> {
  await run("sh", ["-c", command], { timeout: 60_000 });
}

export interface ClusterNode {
  name: string;
  process: ServeProcess;
  alive: boolean;
}

const CLUSTER_SECRETS_KEY = Buffer.alloc(32, "cluster test key").toString("base64");

/** Three (or n) `nudge serve` nodes, the first in dev mode (it seeds the demo tenant and tokens). */
export class Cluster {
  readonly nodes: ClusterNode[] = [];
  readonly dir = mkdtempSync(join(tmpdir(), "nudge-cluster-"));
  demo!: DemoFile;

  private readonly env: Record<string, string>;

  constructor(
    readonly database: ClusterDatabase,
    env: Record<string, string>,
  ) {
    // Nodes on one PostgreSQL database share one secrets key; production nodes refuse to start without.
    this.env = { NUDGE_SECRETS_KEY: CLUSTER_SECRETS_KEY, ...env };
  }

  async start(count: number, args: string[] = []): Promise<void> {
    const first = await startDevServe(this.database.url, join(this.dir, "demo.json"), args, {
      ...this.env,
      NUDGE_NODE_ID: "node-1",
    });
    this.demo = first.demo;
    this.nodes.push({ name: "node-1", process: first.server, alive: true });
    for (let i = 2; i <= count; i++) {
      const name = `node-${i}`;
      const node = await ServeProcess.start(
        ["--port", "0", "--log-level", "warn", "--db", this.database.url, ...args],
        { ...this.env, NUDGE_NODE_ID: name },
      );
      this.nodes.push({ name, process: node, alive: true });
    }
  }

  node(name: string): ClusterNode {
    return this.nodes.find((n) => n.name === name)!;
  }

  get live(): ClusterNode[] {
    return this.nodes.filter((n) => n.alive);
  }

  async kill(name: string, signal: NodeJS.Signals): Promise<void> {
    const node = this.node(name);
    node.alive = false;
    await node.process.kill(signal);
  }

  /** The end of each node's error output, for a failing test to show. */
  logs(): string {
    return this.nodes.map((n) => `--- ${n.name}\n${n.process.stderr.slice(-4000)}`).join("\n");
  }

  async stop(): Promise<void> {
    await Promise.all(this.live.map((n) => n.process.kill("SIGTERM")));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * JSON calls spread round-robin over the live nodes. A call that fails for want of a node or of
 * the database (a refused connection, a 5xx) is tried again on the next node, so a dead node or a
 * restarting database slows the writer down but loses nothing it was told succeeded.
 */
export class ClusterClient {
  #next = 0;
  retries = 0;

  constructor(
    private readonly cluster: Cluster,
    private readonly token: string,
  ) {}

  async post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const deadline = Date.now() + 60_000;
    let last = "";
    for (let attempt = 0; ; attempt++) {
      const live = this.cluster.live;
      const node = live[this.#next++ % live.length]!;
      try {
        const response = await fetch(node.process.baseUrl + path, {
          method: "POST",
          headers: { authorization: `Bearer ${this.token}`, "content-type": "application/json" },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        if (response.status < 500)
          return { status: response.status, body: text ? JSON.parse(text) : undefined };
        last = `${node.name}: ${response.status} ${text.slice(0, 300)}`;
      } catch (error) {
        // The node is gone or the connection broke: another node, or this one later.
        last = `${node.name}: ${(error as Error).message}`;
      }
      if (Date.now() > deadline) throw new Error(`POST ${path} kept failing for a minute; last: ${last}`);
      this.retries++;
      await backOff(Math.min(50 * 2 ** attempt, 1000));
    }
  }
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let index = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (index < items.length) await work(items[index++]!);
    }),
  );
}

/** A client's pause between retries while a node is down or restarting: not a wait for an effect. */
function backOff(ms: number): Promise<void> {
  return new Promise((resolve) => {
    // eslint-disable-next-line no-restricted-syntax -- see above
    setTimeout(resolve, ms);
  });
}
