/**
 * Fan-out benchmark (not a test), issue 9's P3: one change on a resource with `BENCH_N` (10,000)
 * subscriptions, until every subscription's notification has been received. Run with
 * `npm run bench:fanout` (builds first).
 *
 * One Nudge node in this process (built server, a temporary SQLite file, coalescing window 0, logs
 * off, the dispatcher in its own thread as `nudge serve` runs it); the receiver is
 * bench/receiver.js in its own process, counting notifications (the entries of each POST's
 * `value`). Two layouts, each on a fresh node:
 *
 *   distinct  every subscription on a URL of its own: N POSTs of one notification
 *   shared    every subscription on one URL: the notifications go out batched (delivery.maxBatchSize
 *             to a POST, delivery.endpointConcurrency POSTs at a time to that URL)
 *
 * Setup (untimed): the subscriptions (a handshake each), then a warm-up change on another resource
 * with 256 subscriptions, delivered, so the node's connections are open and its code warm. Then
 * `BENCH_ROUNDS` times: one change reported through the services (committed: its N marks are
 * written by one statement), and the time from the call until the receiver has counted N
 * notifications; the median counts (goal < 1 s). The last line printed is the result as JSON.
 */
import { log, machine, now, round2, seconds } from "./lib/figures.js";
import { benchIdentity, openBenchNode, subscribeMany } from "./lib/nudge-node.js";
import { startReceiver, withDeadline } from "./lib/receiver-process.js";

const N = Number(process.env.BENCH_N ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LAYOUTS = (process.env.BENCH_LAYOUTS ?? "distinct,shared").split(",");

const receiver = await startReceiver();
const results = {};
try {
  for (const layout of LAYOUTS) results[layout] = await fanOut(layout);
  console.log(JSON.stringify({ ...machine(), subscriptions: N, rounds: ROUNDS, results }));
} finally {
  receiver.stop();
}

async function fanOut(layout) {
  const node = await openBenchNode();
  const { nudge } = node;
  try {
    const { principal } = await benchIdentity(nudge.services);
    const resource = await nudge.services.resources.create(principal, { kind: "external", title: "popular" });
    log(
      `${layout}: ${N} subscriptions on one resource (${layout === "distinct" ? "a URL each" : "one URL"})`,
    );
    const started = now();
    await subscribeEach(nudge.services, principal, resource, (i) =>
      layout === "distinct" ? `${receiver.origin}/fan/${i}` : `${receiver.origin}/fan`,
    );
    log(`   setup took ${seconds(now() - started)}`);
    const warm = await subscribeMany(nudge.services, principal, 256, (i) => `${receiver.origin}/warm/${i}`);
    await nudge.start();
    const warmed = receiver.expect(warm.length, "notifications");
    for (const r of warm)
      await nudge.services.items.report(r, [{ item: "w", kind: "update" }], principal.userId);
    await withDeadline(receiver, warmed, 60_000, "the warm-up");
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      await nudge.dispatcher.idle();
      const reached = receiver.expect(N, "notifications");
      const t0 = now();
      await nudge.services.items.report(resource, [{ item: `c${round}`, kind: "update" }], principal.userId);
      const committed = now();
      const end = await withDeadline(receiver, reached, 120_000, `${N} notifications`);
      rounds.push({ reportMs: round2(committed - t0), allReceivedMs: round2(end.at - t0), posts: end.count });
      log(
        `   round ${round + 1}: change committed in ${round2(committed - t0)} ms; all ${N} received after ${round2(end.at - t0)} ms (${end.count} POSTs)`,
      );
    }
    const median = [...rounds].sort((a, b) => a.allReceivedMs - b.allReceivedMs)[
      Math.floor(rounds.length / 2)
    ];
    return { rounds, medianAllReceivedMs: median.allReceivedMs, medianReportMs: median.reportMs };
  } finally {
    await node.close();
  }
}

/** `count` native subscriptions on one resource (a handshake each, 64 at a time). */
async function subscribeEach(services, principal, resource, urlOf) {
  for (let start = 0; start < N; start += 64) {
    const chunk = [];
    for (let i = start; i < Math.min(start + 64, N); i++)
      chunk.push(
        services.subscriptions.create(principal, resource, services.profiles.native, {
          notificationUrl: urlOf(i),
        }),
      );
    await Promise.all(chunk);
  }
}
