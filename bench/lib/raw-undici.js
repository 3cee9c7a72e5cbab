/**
 * The raw-undici baseline: POSTs of a notification's size and shape to distinct paths on the
 * receiver, through one `Pool`, as fast as undici sends them. Several pool sizes are tried, each
 * warmed up, and the fastest counts: a ratio against a weak baseline flatters whatever is measured.
 */
import { randomUUID } from "node:crypto";
import { Pool } from "undici";
import { now } from "./figures.js";
import { withDeadline } from "./receiver-process.js";

/** A body of the size and shape of a native notification. */
export function notificationBody() {
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

/** Pool sizes to try (BENCH_RAW_CONNECTIONS, comma-separated); requests in flight = connections. */
export const RAW_CONNECTIONS = (process.env.BENCH_RAW_CONNECTIONS ?? "64,128,256").split(",").map(Number);

/**
 * `count` POSTs with `connections` connections and as many requests in flight, after a warm-up of
 * `count / 10` POSTs on the same pool (connections open, the JIT warm). The request shape is
 * undici's fastest: `pool.request` with a path, not `request(url)` with an absolute URL to parse.
 */
export async function rawPosts(receiver, { count, body, connections }) {
  const pool = new Pool(receiver.origin, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
  try {
    await send(receiver, pool, "warmup", Math.max(connections, Math.ceil(count / 10)), body, connections);
    const elapsed = await send(receiver, pool, "raw", count, body, connections);
    return { connections, rate: count / (elapsed / 1000), elapsed };
  } finally {
    await pool.close();
  }
}

/** Every configuration in RAW_CONNECTIONS; the fastest run first. */
export async function bestRawPosts(receiver, { count, body, connections = RAW_CONNECTIONS }) {
  const runs = [];
  for (const c of connections) runs.push(await rawPosts(receiver, { count, body, connections: c }));
  return runs.sort((a, b) => b.rate - a.rate);
}

async function send(receiver, pool, prefix, count, body, inFlight) {
  const reached = receiver.expect(count);
  let next = 0;
  const started = now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const response = await pool.request({
        path: `/${prefix}/${i}`,
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", "x-nudge-delivery-id": randomUUID() },
        body,
      });
      await response.body.dump();
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const end = await withDeadline(receiver, reached, 120_000, `${count} raw POSTs`);
  return end.at - started;
}
