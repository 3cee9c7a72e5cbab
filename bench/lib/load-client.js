/**
 * A load client in a process of its own (forked by bench/ingest.js), so that the server under test
 * has the benchmark process's event loop to itself, whichever server it is. Given an origin, a
 * bearer token, resource ids and a request shape, it sends `count` requests through one undici
 * Pool with `connections` connections and as many in flight (after a warm-up of a tenth), and
 * answers with requests/s and the latency of each request.
 *
 * Shapes: `single` — `POST /v1/resources/{id}/changes` with one change; `batch` — `POST /v1/changes`
 * with `batch` changes over consecutive resources.
 */
import { Pool } from "undici";
import { now, percentiles } from "./figures.js";

process.on("message", async (job) => {
  if (job.type === "stop") process.exit(0);
  const pool = new Pool(job.origin, {
    connections: job.connections,
    pipelining: 1,
    keepAliveTimeout: 10_000,
  });
  try {
    await run(pool, job, Math.max(job.connections, Math.ceil(job.count / 10)), "w");
    const result = await run(pool, job, job.count, "m");
    process.send({ type: "done", ...result });
  } catch (error) {
    process.send({ type: "failed", message: String(error?.stack ?? error) });
  } finally {
    await pool.close();
  }
});

async function run(pool, job, count, prefix) {
  const headers = { authorization: `Bearer ${job.token}`, "content-type": "application/json" };
  const latencies = [];
  let next = 0;
  const started = now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { path, body } = requestOf(job, i, prefix);
      const sent = now();
      const response = await pool.request({ path, method: "POST", headers, body });
      await response.body.dump();
      if (response.statusCode !== 201) throw new Error(`${path} answered ${response.statusCode}`);
      latencies.push(now() - sent);
    }
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const elapsed = now() - started;
  return { requestsPerSecond: count / (elapsed / 1000), latencyMs: percentiles(latencies) };
}

function requestOf(job, i, prefix) {
  const { resources } = job;
  if (job.shape === "single") {
    const resource = resources[i % resources.length];
    return {
      path: `/v1/resources/${resource}/changes`,
      body: JSON.stringify({ changes: [{ item: `${prefix}${i}`, kind: "update" }] }),
    };
  }
  const changes = [];
  for (let k = 0; k < job.batch; k++) {
    const n = i * job.batch + k;
    changes.push({ resource: resources[n % resources.length], item: `${prefix}${n}`, kind: "update" });
  }
  return { path: "/v1/changes", body: JSON.stringify({ changes }) };
}
