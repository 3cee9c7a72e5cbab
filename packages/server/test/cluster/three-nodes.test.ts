import { afterAll, afterEach, describe, expect, it } from "vitest";
import { testDialect, waitFor } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import {
  Cluster,
  ClusterClient,
  ClusterDatabase,
  inParallel,
  postgresRestartCommand,
  restartPostgres,
} from "./harness.js";

const SUBSCRIPTIONS = 1000;
const CHANGES = 10_000;
/** Subscriptions share receiver URLs ten by ten, so deliveries carry batches as well as singles. */
const URLS = 100;
const LEASE_MS = 8000;

/**
 * Test scaffolding, not part of Nudge: a trigger that logs every version of every pending mark,
 * so the test can tell which changes each delivered mark covered and which marks were taken over.
 */
const auditSql = `
  create table mark_audit (
    id bigserial primary key, mark_id bigint, subscription_id text, last_seq bigint,
    claimed_by text, lease_until bigint, op text);
  create function audit_mark() returns trigger language plpgsql as $$ begin
    insert into mark_audit (mark_id, subscription_id, last_seq, claimed_by, lease_until, op)
    values (new.id, new.subscription_id, new.last_seq, new.claimed_by, new.lease_until, tg_op);
    return new;
  end $$;
  create trigger mark_audit after insert or update on pending_marks
    for each row execute function audit_mark();`;

/** Null unless NUDGE_TEST_POSTGRES_RESTART opts in (see harness.ts): without it, the scenario has only the SIGKILLed node. */
const restartCommand = testDialect === "postgres" ? postgresRestartCommand() : null;
const through = restartCommand
  ? "a SIGKILLed node and a PostgreSQL restart"
  : "a SIGKILLed node (no PostgreSQL restart: NUDGE_TEST_POSTGRES_RESTART is not set)";

describe.skipIf(testDialect !== "postgres")("three nodes on one PostgreSQL database", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  let running: Cluster | undefined;
  afterEach((context) => {
    if (context.task.result?.state === "fail" && running) console.error(running.logs());
  });

  it(`notify every subscription after its last change through ${through}; duplicates come only from lease take-over`, async () => {
    const started = Date.now();
    const database = await ClusterDatabase.create();
    cleanups.push(() => database.drop());
    const cluster = new Cluster(database, {
      NUDGE_LEASE_MS: String(LEASE_MS),
      NUDGE_DELIVERY_TIMEOUT_MS: "3000",
      NUDGE_POLL_INTERVAL_MS: "50",
      NUDGE_COALESCE_WINDOW_MS: "0",
      NUDGE_DB_POOL_SIZE: "6",
    });
    running = cluster;
    cleanups.push(() => cluster.stop());
    await cluster.start(3);
    await database.query(auditSql);
    const receiver = await TestReceiver.start();
    cleanups.push(() => receiver.close());
    const client = new ClusterClient(cluster, cluster.demo.users.alice.token);

    // 1,000 resources with one subscription each, made through all three nodes.
    const resources: string[] = [];
    const subscriptionOf = new Map<string, string>();
    await inParallel([...Array(SUBSCRIPTIONS).keys()], 8, async (i) => {
      const resource = await client.post("/v1/resources", { title: `R${i}` });
      const id = (resource.body as { id: string }).id;
      const subscription = await client.post("/v1/subscriptions", {
        resource: id,
        notificationUrl: receiver.url(`/n/${i % URLS}`),
      });
      expect(subscription.status).toBe(201);
      resources[i] = id;
      subscriptionOf.set(id, (subscription.body as { id: string }).id);
    });

    // 10,000 changes, ten rounds over the resources; node-2 dies a third of the way in, the
    // database restarts two thirds of the way in.
    const changes = [...Array(CHANGES).keys()].map((n) => resources[n % SUBSCRIPTIONS]!);
    let done = 0;
    let heldByKilled = -1;
    let restartMs = 0;
    const events: Promise<void>[] = [];
    await inParallel(changes, 16, async (resource) => {
      const reported = await client.post(`/v1/resources/${resource}/changes`, {
        changes: [{ item: `item-${done % 7}`, kind: "update" }],
      });
      expect(reported.status).toBe(201);
      done++;
      if (done === Math.floor(CHANGES / 3)) {
        events.push(
          (async () => {
            await cluster.kill("node-2", "SIGKILL");
            const [row] = await database.query<{ n: string }>(
              "select count(*) as n from pending_marks where claimed_by = 'node-2'",
            );
            heldByKilled = Number(row!.n);
          })(),
        );
      }
      if (restartCommand !== null && done === Math.floor((2 * CHANGES) / 3)) {
        events.push(
          (async () => {
            const before = Date.now();
            await restartPostgres(restartCommand);
            restartMs = Date.now() - before;
          })(),
        );
      }
    });
    await Promise.all(events);

    // Every mark is eventually sent: the killed node's after their lease ends.
    await waitFor(
      async () => {
        const [row] = await database.query<{ n: string }>("select count(*) as n from pending_marks");
        return Number(row!.n) === 0;
      },
      { timeoutMs: 90_000, intervalMs: 250, what: "every pending mark to be delivered" },
    );

    const lastSeq = new Map(
      (
        await database.query<{ resource_id: string; seq: string }>(
          "select resource_id, max(seq) as seq from changes group by resource_id",
        )
      ).map((r) => [r.resource_id, Number(r.seq)]),
    );
    const [{ n: journalled } = { n: "0" }] = await database.query<{ n: string }>(
      "select count(*) as n from changes",
    );
    // The changes each mark covered when it was sent (a mark is never merged into once claimed).
    const coveredUpTo = new Map(
      (
        await database.query<{ mark_id: string; last_seq: string }>(
          "select mark_id, max(last_seq) as last_seq from mark_audit group by mark_id",
        )
      ).map((r) => [Number(r.mark_id), Number(r.last_seq)]),
    );
    const mergedAfterClaim = await database.query(
      `select mark_id from mark_audit group by mark_id
         having max(last_seq) > coalesce(min(last_seq) filter (where claimed_by is not null), max(last_seq))`,
    );
    const takenOver = await database.query<{ mark_id: string; from_node: string }>(
      `select distinct on (mark_id) mark_id, previous as from_node from (
           select mark_id, claimed_by, lease_until,
             lag(claimed_by) over (partition by mark_id order by id) as previous,
             lag(lease_until) over (partition by mark_id order by id) as previous_lease
           from mark_audit) versions
         where previous is not null and claimed_by is not null and lease_until <> previous_lease`,
    );
    const delivered = await database.query<{
      delivery_id: string;
      mark_id: string;
      subscription_id: string;
    }>("select delivery_id, mark_id, subscription_id from attempts where outcome = 'delivered'");
    const [{ n: deadLetters } = { n: "0" }] = await database.query<{ n: string }>(
      "select count(*) as n from dead_letters",
    );

    const posts = receiver.notifications();
    const received = new Set(posts.map((p) => String(p.headers["x-nudge-delivery-id"])));
    // Every subscription got a delivery, recorded as delivered and received, of a mark that covered
    // its resource's last change.
    const notifiedUpTo = new Map<string, number>();
    for (const row of delivered) {
      if (!received.has(row.delivery_id)) continue;
      const covered = coveredUpTo.get(Number(row.mark_id)) ?? 0;
      notifiedUpTo.set(row.subscription_id, Math.max(notifiedUpTo.get(row.subscription_id) ?? 0, covered));
    }
    const unnotified = resources.filter(
      (resource) => (notifiedUpTo.get(subscriptionOf.get(resource)!) ?? 0) < lastSeq.get(resource)!,
    );

    // Duplicates: notifications of deliveries whose outcome was never recorded (the node died
    // after sending) and second recorded deliveries of one mark. Both can come only from a lease
    // take-over: a mark is sent again only once another claim replaced a lapsed one.
    const recorded = new Set(delivered.map((r) => r.delivery_id));
    const entries = (p: (typeof posts)[number]) => (p.json as { value: unknown[] }).value.length;
    const unrecordedEntries = posts
      .filter((p) => !recorded.has(String(p.headers["x-nudge-delivery-id"])))
      .reduce((sum, p) => sum + entries(p), 0);
    const deliveredMarks = new Set(delivered.map((r) => r.mark_id));
    const duplicates = unrecordedEntries + (delivered.length - deliveredMarks.size);
    const figures = {
      seconds: Math.round((Date.now() - started) / 1000),
      changesReported: CHANGES,
      changesJournalled: Number(journalled),
      notificationPosts: posts.length,
      notifications: posts.reduce((sum, p) => sum + entries(p), 0),
      duplicates,
      marksHeldByKilledNode: heldByKilled,
      marksTakenOver: takenOver.length,
      takenOverFrom: [...new Set(takenOver.map((r) => r.from_node))],
      clientRetries: client.retries,
      postgresRestartMs: restartMs,
    };
    console.log(`three-node run: ${JSON.stringify(figures)}`);

    expect(unnotified).toEqual([]);
    expect(mergedAfterClaim).toEqual([]);
    expect(Number(deadLetters)).toBe(0);
    expect(Number(journalled)).toBeGreaterThanOrEqual(CHANGES);
    expect(heldByKilled).toBeGreaterThanOrEqual(0);
    expect(duplicates).toBeLessThanOrEqual(takenOver.length);
    // The two surviving nodes are still serving.
    for (const node of cluster.live) {
      expect((await fetch(`${node.process.baseUrl}/health/ready`)).status).toBe(200);
    }
  });
});
