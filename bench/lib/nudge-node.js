/**
 * One Nudge node inside a benchmark process (the built server, a temporary SQLite file, coalescing
 * window 0, logs off), an identity to act as, and subscriptions made through the services.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import { Nudge, defaultConfig, validateConfig } from "../../packages/server/dist/index.js";

/** Opens a node; `close()` stops it and removes its database. */
export async function openBenchNode({
  thread = process.env.NUDGE_DELIVERY_THREAD ?? "worker",
  delivery = {},
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), "nudge-bench-"));
  const config = validateConfig({
    ...JSON.parse(JSON.stringify(defaultConfig)),
    server: { ...defaultConfig.server, host: "127.0.0.1", port: 0, dev: false },
    database: { url: join(dir, "bench.db") },
    log: { level: "silent" },
    delivery: { ...defaultConfig.delivery, coalesceWindowMs: 0, thread, ...delivery },
  });
  const nudge = await Nudge.open({ config });
  return {
    nudge,
    config,
    async close() {
      await nudge.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A tenant, an app, a user, a bearer token for the HTTP API and the principal it stands for. */
export async function benchIdentity(services) {
  const tenant = await services.identity.createTenant("Bench");
  const { app } = await services.identity.createApp(tenant.id, { name: "Bench app" });
  const user = await services.identity.createUser(tenant.id, "bench");
  const token = await services.identity.issueToken(tenant.id, app.id, user.id, ["nudge"]);
  return { principal: await services.identity.authenticate(token), token };
}

/** `count` external resources, each with one native subscription (a handshake each, 64 at a time). */
export async function subscribeMany(services, principal, count, urlOf) {
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

/**
 * Holds the waiting marks whose URL matches `pattern` back (due in a day), so that changes can be
 * committed during setup and all made due at once when a timed phase begins.
 */
export async function holdMarksBack(nudge, pattern) {
  await sql`update pending_marks set due_at = ${Date.now() + 86_400_000} where notification_url like ${pattern}`.execute(
    nudge.db,
  );
}

/** Makes the held marks due now and wakes the dispatcher (in whichever thread it runs). */
export async function releaseMarks(nudge, pattern) {
  await sql`update pending_marks set due_at = 0 where notification_url like ${pattern}`.execute(nudge.db);
  nudge.wakeup.ring();
}
