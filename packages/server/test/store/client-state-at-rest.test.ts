/**
 * clientState is a shared secret the receiver checks: it is stored encrypted (AES-256-GCM, a key
 * the database does not hold), echoed by the API and sent in notifications in plain text, and
 * sealed for its row. Rows from before encryption are sealed at start-up; a wrong key stops the start.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import type { Db } from "../../src/store/open.js";
import type { Nudge } from "../../src/nudge.js";
import { joinTestNudge } from "../helpers/nodes.js";
import { captureLog } from "../helpers/log-lines.js";
import { TestReceiver } from "../helpers/receiver.js";
import { apiClient, changesOf, clientsOf, createResource, subscribe } from "../native/api.js";
import { testDialect, startTestNudge, type TestNudge, waitFor } from "@nudge/test-support";

const KEY_A = Buffer.alloc(32, 1).toString("base64");
const KEY_B = Buffer.alloc(32, 2).toString("base64");

async function storedClientStates(db: Db): Promise<Array<string | null>> {
  const { rows } = await sql<{ client_state: string | null }>`select client_state from subscriptions`.execute(
    db,
  );
  return rows.map((r) => r.client_state);
}

/** The SQLite file and its WAL, as bytes a copy of them would hold. */
function sqliteBytes(path: string): string {
  return [path, `${path}-wal`]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file).toString("latin1"))
    .join("");
}

describe("clientState at rest", () => {
  const running: TestNudge[] = [];
  const joined: Nudge[] = [];
  const dirs: string[] = [];
  let receiver: TestReceiver | undefined;
  afterEach(async () => {
    for (const nudge of joined.splice(0)) await nudge.stop();
    for (const t of running.splice(0)) await t.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    await receiver?.close();
    receiver = undefined;
  });

  async function start(options: { key?: string; logger?: ReturnType<typeof captureLog> } = {}) {
    const t = await startTestNudge({
      ...(options.key && { config: { secrets: { key: options.key } } }),
      ...(options.logger && { logger: options.logger.logger }),
    });
    running.push(t);
    return t;
  }

  /** A node on a stopped node's database (its demo users are already there, so none is seeded). */
  async function restart(first: TestNudge, key: string, logger?: ReturnType<typeof captureLog>) {
    const nudge = await joinTestNudge(first, {
      config: { secrets: { key } },
      ...(logger && { logger: logger.logger }),
    });
    joined.push(nudge);
    return { nudge, alice: apiClient(nudge.url, first.auth.alice) };
  }

  /** Stops a node but keeps its database, for the next node to open. */
  async function stopKeepingDatabase(t: TestNudge): Promise<void> {
    running.splice(running.indexOf(t), 1);
    dirs.push(t.dir);
    await t.nudge.stop();
  }

  it("stores no plain clientState, echoes it through the API and sends it in notifications", async () => {
    const t = await start();
    receiver = await TestReceiver.start();
    const { alice } = clientsOf(t);
    const resource = await createResource(alice);
    const created = await subscribe(alice, resource, receiver.url("/hook"), { clientState: "s3cret" });
    expect(created.clientState).toBe("s3cret");
    const other = await subscribe(alice, resource, receiver.url("/other"), { clientState: "first" });
    expect(
      (await alice.patch(`/v1/subscriptions/${other.id}`, { clientState: "s3cret-too" })).body.clientState,
    ).toBe("s3cret-too");

    const stored = await storedClientStates(t.nudge.db);
    expect(stored).toHaveLength(2);
    for (const value of stored) {
      expect(value).toMatch(/^enc1:[A-Za-z0-9_-]+$/);
      expect(value).not.toContain("s3cret");
    }
    if (testDialect === "sqlite") {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.nudge.db);
      expect(sqliteBytes(t.dbPath)).not.toContain("s3cret");
    }
    expect((await alice.get(`/v1/subscriptions/${created.id}`)).body.clientState).toBe("s3cret");

    await alice.post(`/v1/resources/${resource}/changes`, changesOf("item-1"));
    const [hook] = await receiver.waitForNotifications(1, "/hook");
    const [otherHook] = await receiver.waitForNotifications(1, "/other");
    expect((hook!.json as { value: Array<{ clientState: string }> }).value[0]!.clientState).toBe("s3cret");
    expect((otherHook!.json as { value: Array<{ clientState: string }> }).value[0]!.clientState).toBe(
      "s3cret-too",
    );
  });

  it("encrypts, at start-up, the clientStates stored in plain text before", async () => {
    const first = await start({ key: KEY_A });
    receiver = await TestReceiver.start();
    const resource = await createResource(clientsOf(first).alice);
    const created = await subscribe(clientsOf(first).alice, resource, receiver.url("/hook"), {
      clientState: "x",
    });
    // As a version before encryption at rest wrote it.
    await sql`update subscriptions set client_state = 'legacy-s3cret'`.execute(first.nudge.db);
    await stopKeepingDatabase(first);

    const log = captureLog();
    const second = await restart(first, KEY_A, log);
    expect(await storedClientStates(second.nudge.db)).toEqual([expect.stringMatching(/^enc1:/)]);
    expect(log.lines.some((l) => l.sealed === 1)).toBe(true);
    const echoed = await second.alice.get(`/v1/subscriptions/${created.id}`);
    expect(echoed.body.clientState).toBe("legacy-s3cret");
  });

  it("refuses to start with another key than the one that encrypted the clientStates, naming the setting", async () => {
    const first = await start({ key: KEY_A });
    receiver = await TestReceiver.start();
    const resource = await createResource(clientsOf(first).alice);
    await subscribe(clientsOf(first).alice, resource, receiver.url("/hook"), { clientState: "s3cret" });
    await stopKeepingDatabase(first);

    await expect(restart(first, KEY_B)).rejects.toThrow(/secrets\.key \/ NUDGE_SECRETS_KEY/);
    // The right key still opens it.
    const again = await restart(first, KEY_A);
    expect((await again.alice.get("/v1/subscriptions")).body.value[0].clientState).toBe("s3cret");
  });

  it("sends nothing for a clientState copied from another row, logs it, and goes on delivering the rest", async () => {
    const log = captureLog();
    const t = await start({ logger: log });
    receiver = await TestReceiver.start();
    const { alice } = clientsOf(t);
    const resource = await createResource(alice);
    const good = await subscribe(alice, resource, receiver.url("/good"), { clientState: "mine" });
    const copied = await subscribe(alice, resource, receiver.url("/copied"), { clientState: "theirs" });
    await sql`update subscriptions set client_state = (select client_state from subscriptions where id = ${good.id}) where id = ${copied.id}`.execute(
      t.nudge.db,
    );

    await alice.post(`/v1/resources/${resource}/changes`, changesOf("item-1"));
    await receiver.waitForNotifications(1, "/good");
    await waitFor(() => log.lines.some((l) => l.subscriptionId === copied.id && l.level === 50), {
      what: "an error line for the unreadable clientState",
    });
    expect(receiver.notifications("/copied")).toEqual([]);
    expect(t.nudge.dispatcher.state).toBe("running");
  });
});
