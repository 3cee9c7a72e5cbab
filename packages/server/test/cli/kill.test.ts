/**
 * A change committed before the server process dies is delivered after it restarts: the pending
 * mark is in the same SQLite transaction as the change, and a claim left by a dead process is
 * released when the next one starts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultResponder, neverAnswer, TestReceiver } from "../helpers/receiver.js";
import { waitFor } from "@nudge/test-support";
import { NativeClient } from "./native-client.js";
import { ServeProcess, startDevServe } from "./process.js";

describe("kill -9 of the server between a change and its delivery", () => {
  let dir: string;
  let db: string;
  let receiver: TestReceiver;
  let servers: ServeProcess[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "nudge-cli-kill-"));
    db = join(dir, "nudge.db");
    receiver = await TestReceiver.start();
    servers = [];
  });
  afterEach(async () => {
    for (const server of servers) await server.kill("SIGKILL");
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function restart(): Promise<ServeProcess> {
    const server = await ServeProcess.start(["--port", "0", "--log-level", "warn", "--db", db]);
    servers.push(server);
    return server;
  }

  it("delivers a change still inside its coalescing window once the server restarts", async () => {
    const windowMs = 3000;
    const { server, demo } = await startDevServe(db, join(dir, "credentials.json"), [], {
      NUDGE_COALESCE_WINDOW_MS: String(windowMs),
    });
    servers.push(server);
    const alice = new NativeClient(server.url!, demo.users.alice.token);
    const { resourceId } = await alice.subscribe("Orders", receiver.url("/orders"));
    const changedAt = Date.now();
    await alice.change(resourceId);
    expect((await server.kill("SIGKILL")).signal).toBe("SIGKILL");
    // The kill must land inside the window, or this test would prove nothing.
    expect(Date.now() - changedAt).toBeLessThan(windowMs);
    expect(receiver.notifications()).toHaveLength(0);

    await restart();
    const [notification] = await receiver.waitForNotifications(1, "/orders", 15_000);
    expect(notification!.json).toEqual({ value: [expect.objectContaining({ resource: resourceId })] });
  });

  it("delivers again after a restart when the server was killed while the receiver hung", async () => {
    receiver.respond("/orders", neverAnswer);
    const { server, demo } = await startDevServe(db, join(dir, "credentials.json"), [], {
      NUDGE_COALESCE_WINDOW_MS: "0",
    });
    servers.push(server);
    const alice = new NativeClient(server.url!, demo.users.alice.token);
    const { resourceId, subscriptionId } = await alice.subscribe("Orders", receiver.url("/orders"));
    await alice.change(resourceId);
    // The POST is out (the mark is claimed) and hangs: kill the server now.
    const [hung] = await receiver.waitForNotifications(1, "/orders");
    await server.kill("SIGKILL");

    receiver.respond("/orders", defaultResponder);
    const restarted = await restart();
    const notifications = await receiver.waitForNotifications(2, "/orders", 15_000);
    const retry = notifications[1]!;
    expect(retry.json).toEqual({
      value: [expect.objectContaining({ subscriptionId, resource: resourceId })],
    });
    expect(retry.headers["x-nudge-delivery-id"]).not.toBe(hung!.headers["x-nudge-delivery-id"]);
    // The receiver has the POST before the server has written its outcome: wait for the record.
    const client = new NativeClient(restarted.url!, demo.users.alice.token);
    const outcomes = async () =>
      (
        await client.get<{ value: Array<{ outcome: string }> }>(`/subscriptions/${subscriptionId}/attempts`)
      ).value.map((a) => a.outcome);
    await waitFor(async () => (await outcomes()).includes("delivered"), {
      what: "the re-sent delivery recorded",
    });
    expect(await outcomes()).toContain("delivered");
  });
  it("records the delivery in flight at the kill as outcome unknown, then the re-sent one", async () => {
    receiver.respond("/orders", neverAnswer);
    const { server, demo } = await startDevServe(db, join(dir, "credentials.json"), [], {
      NUDGE_COALESCE_WINDOW_MS: "0",
    });
    servers.push(server);
    const alice = new NativeClient(server.url!, demo.users.alice.token);
    const { resourceId, subscriptionId } = await alice.subscribe("Orders", receiver.url("/orders"));
    await alice.change(resourceId);
    // The POST has reached the receiver, which holds it: the server dies with it in flight.
    await receiver.waitForNotifications(1, "/orders");
    await server.kill("SIGKILL");

    receiver.respond("/orders", defaultResponder);
    const restarted = await restart();
    await receiver.waitForNotifications(2, "/orders", 15_000);
    const client = new NativeClient(restarted.url!, demo.users.alice.token);
    const attemptsOf = () =>
      client.get<{ value: Array<{ outcome: string; attempt: number; deliveryId: string | null }> }>(
        `/subscriptions/${subscriptionId}/attempts`,
      );
    await waitFor(async () => (await attemptsOf()).value.length === 2, { what: "two recorded attempts" });
    // Newest first: the re-sent notification, then the one the kill left without an outcome.
    expect((await attemptsOf()).value).toEqual([
      expect.objectContaining({ attempt: 1, outcome: "delivered" }),
      expect.objectContaining({ attempt: 1, outcome: "unknown", deliveryId: null }),
    ]);
  });
});
