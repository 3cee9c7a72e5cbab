import { afterEach, describe, expect, it } from "vitest";
import type { Nudge } from "../../src/nudge.js";
import { sharePointList } from "../delivery/fixtures.js";
import { testDialect, startTestNudge, type TestNudge } from "@nudge/test-support";
import { joinTestNudge } from "../helpers/nodes.js";
import { TestReceiver } from "../helpers/receiver.js";

// API and dispatcher nodes apart need a database they share: PostgreSQL.
describe.skipIf(testDialect !== "postgres")("node roles on one PostgreSQL database", () => {
  let api: TestNudge | undefined;
  let dispatcher: Nudge | undefined;
  let receiver: TestReceiver | undefined;
  afterEach(async () => {
    await dispatcher?.stop();
    await api?.stop();
    await receiver?.close();
    api = dispatcher = receiver = undefined;
  });

  it("delivers a change written on an api node from a dispatcher node", async () => {
    api = await startTestNudge({ config: { server: { role: "api" } } });
    receiver = await TestReceiver.start();
    const fx = await sharePointList(api);
    await fx.subscribe(receiver.url("/hook"));
    await fx.change();
    // The api node sends nothing (it never started a dispatcher): the change waits for one.
    expect(api.nudge.dispatcher.state).toBe("created");
    expect(await api.nudge.services.deliveries.pendingCount()).toBe(1);
    expect(receiver.notifications()).toHaveLength(0);
    dispatcher = await joinTestNudge(api, { config: { server: { role: "dispatcher" } } });
    await receiver.waitForNotifications(1, "/hook");
  });

  it("serves only /health on a dispatcher node", async () => {
    api = await startTestNudge({ config: { server: { role: "api" } } });
    dispatcher = await joinTestNudge(api, { config: { server: { role: "dispatcher" } } });
    const health = await fetch(`${dispatcher.url}/health/ready`);
    expect(await health.json()).toEqual({ status: "ready", role: "dispatcher" });
    const resources = await fetch(`${dispatcher.url}/v1/resources`, { headers: api.auth.alice });
    expect(resources.status).toBe(404);
    expect((await fetch(`${api.url}/v1/resources`, { headers: api.auth.alice })).status).toBe(200);
  });
});
