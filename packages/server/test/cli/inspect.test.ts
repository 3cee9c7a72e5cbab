import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestReceiver } from "../helpers/receiver.js";
import { waitFor } from "@nudge/test-support";
import { NativeClient } from "./native-client.js";
import { runCli, startDevServe, type ServeProcess } from "./process.js";

describe("nudge subscriptions list and nudge deliveries list", () => {
  let dir: string;
  let db: string;
  let server: ServeProcess;
  let receiver: TestReceiver;
  let subscriptionId: string;
  let otherSubscriptionId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-cli-inspect-"));
    db = join(dir, "nudge.db");
    receiver = await TestReceiver.start();
    const started = await startDevServe(db, join(dir, "credentials.json"), ["--coalesce-window-ms", "0"]);
    server = started.server;
    const alice = new NativeClient(server.url!, started.demo.users.alice.token);
    const orders = await alice.subscribe("Orders", receiver.url("/orders"));
    const invoices = await alice.subscribe("Invoices", receiver.url("/invoices"));
    subscriptionId = orders.subscriptionId;
    otherSubscriptionId = invoices.subscriptionId;
    // One after the other, so "newest first" has a known order.
    for (const [id, resourceId] of [
      [subscriptionId, orders.resourceId],
      [otherSubscriptionId, invoices.resourceId],
    ] as const) {
      await alice.change(resourceId);
      // The attempt is recorded just after the receiver answers.
      await waitFor(
        async () => (await alice.get<{ value: unknown[] }>(`/subscriptions/${id}/attempts`)).value.length > 0,
        { what: `the attempt for ${id} to be recorded` },
      );
    }
  });
  afterAll(async () => {
    await server?.kill("SIGKILL");
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists each delivery attempt as JSON, read from the database file of a running server", async () => {
    const result = await runCli([
      "deliveries",
      "list",
      "--db",
      db,
      "--json",
      "--subscription",
      subscriptionId,
    ]);
    expect(result.code).toBe(0);
    const delivery = receiver.notifications("/orders")[0]!;
    expect(JSON.parse(result.stdout)).toEqual([
      {
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        deliveryId: delivery.headers["x-nudge-delivery-id"],
        subscriptionId,
        notificationUrl: receiver.url("/orders"),
        attempt: 1,
        status: 200,
        durationMs: expect.any(Number),
        error: null,
        outcome: "delivered",
      },
    ]);
  });

  it("lists attempts of every subscription, newest first, as a table", async () => {
    const result = await runCli(["deliveries", "list", "--db", db]);
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split("\n");
    expect(header).toMatch(
      /^TIME\s+DELIVERYID\s+SUBSCRIPTIONID\s+NOTIFICATIONURL\s+ATTEMPT\s+STATUS\s+DURATIONMS\s+OUTCOME\s+ERROR$/,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(otherSubscriptionId);
    expect(rows[1]).toContain(subscriptionId);
    for (const row of rows) expect(row).toMatch(/\s1\s+200\s+\d+\s+delivered\s+-$/);
  });

  it("shows at most --limit attempts", async () => {
    const result = await runCli(["deliveries", "list", "--db", db, "--json", "--limit", "1"]);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
  });

  it("exits 2 when --limit is not a positive integer", async () => {
    const result = await runCli(["deliveries", "list", "--db", db, "--limit", "0"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--limit: '0' is not a positive integer");
  });

  it("lists every subscription with its state and pending marks", async () => {
    const result = await runCli(["subscriptions", "list", "--db", db, "--json"]);
    expect(result.code).toBe(0);
    const listed = JSON.parse(result.stdout) as Array<Record<string, unknown>>;
    expect(listed.map((s) => s.id).sort()).toEqual([subscriptionId, otherSubscriptionId].sort());
    expect(listed.find((s) => s.id === subscriptionId)).toMatchObject({
      surface: "native",
      resourceTitle: "Orders",
      notificationUrl: receiver.url("/orders"),
      state: "active",
      pendingMarks: 0,
      consecutiveDrops: 0,
    });
  });

  it("prints subscriptions as a table by default", async () => {
    const result = await runCli(["subscriptions", "list", "--db", db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ID\s+SURFACE\s+RESOURCETITLE\s+NOTIFICATIONURL\s+STATE/);
    expect(result.stdout).toContain("Invoices");
  });

  it("exits 1 and creates nothing when the database file does not exist", async () => {
    const missing = join(dir, "missing.db");
    const result = await runCli(["deliveries", "list", "--db", missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no database at ${missing}`);
    const again = await runCli(["subscriptions", "list", "--db", missing]);
    expect(again.code).toBe(1);
    expect(existsSync(missing)).toBe(false);
  });

  it("finds the database through NUDGE_DB when --db is not given", async () => {
    const result = await runCli(["subscriptions", "list", "--json"], { env: { NUDGE_DB: db } });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(2);
  });
});
