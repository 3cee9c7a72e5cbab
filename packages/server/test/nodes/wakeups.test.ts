import { afterEach, describe, expect, it } from "vitest";
import type { Nudge } from "../../src/nudge.js";
import { sharePointList } from "../delivery/fixtures.js";
import { testDialect, startTestNudge, type TestNudge } from "@nudge/test-support";
import { joinTestNudge } from "../helpers/nodes.js";
import { TestReceiver } from "../helpers/receiver.js";

// Wake-ups between nodes go through PostgreSQL's LISTEN/NOTIFY.
describe.skipIf(testDialect !== "postgres")("wake-ups between nodes on PostgreSQL", () => {
  let api: TestNudge | undefined;
  let dispatcher: Nudge | undefined;
  let receiver: TestReceiver | undefined;
  afterEach(async () => {
    await dispatcher?.stop();
    await api?.stop();
    await receiver?.close();
    api = dispatcher = receiver = undefined;
  });

  it("wakes a dispatcher node the moment an api node commits a change, not at its next poll", async () => {
    api = await startTestNudge({ config: { server: { role: "api" } } });
    receiver = await TestReceiver.start();
    // Polling every ten minutes: only a notification can make it look within the test's time.
    dispatcher = await joinTestNudge(api, {
      config: { server: { role: "dispatcher" }, delivery: { pollIntervalMs: 600_000 } },
    });
    await dispatcher.dispatcher.idle();
    const fx = await sharePointList(api);
    await fx.subscribe(receiver.url("/hook"));
    for (let i = 1; i <= 3; i++) {
      await fx.change();
      await receiver.waitForNotifications(i, "/hook", 5000);
      await dispatcher.dispatcher.idle();
    }
    expect(receiver.notifications("/hook")).toHaveLength(3);
  });
});
