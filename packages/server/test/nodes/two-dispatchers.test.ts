import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { Nudge } from "../../src/nudge.js";
import { sharePointList } from "../delivery/fixtures.js";
import { testDialect, startTestNudge, type TestNudge } from "@nudge/test-support";
import { joinTestNudge } from "../helpers/nodes.js";
import { answerAfter, defaultResponder, isHandshake, TestReceiver } from "../helpers/receiver.js";

/** A logger that counts this node's "delivery" lines (one per POST, at debug level). */
function deliveryCounter(): { logger: pino.Logger; count: () => number } {
  let deliveries = 0;
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line.includes('"msg":"delivery"')) deliveries++;
      done();
    },
  });
  return { logger: pino({ level: "debug" }, sink), count: () => deliveries };
}

describe.skipIf(testDialect !== "postgres")("two dispatcher nodes on one database", () => {
  let first: TestNudge | undefined;
  let second: Nudge | undefined;
  let receiver: TestReceiver | undefined;
  afterEach(async () => {
    await second?.stop();
    await first?.stop();
    await receiver?.close();
    first = second = receiver = undefined;
  });

  it("never deliver the same claimed batch at the same time, and share the work", async () => {
    // Few slots per node and a slow receiver, so both nodes claim, over and over, from one pool.
    const config = { delivery: { globalConcurrency: 6, endpointConcurrency: 1 } };
    const counters = [deliveryCounter(), deliveryCounter()];
    first = await startTestNudge({ config, logger: counters[0]!.logger });
    second = await joinTestNudge(first, { config, logger: counters[1]!.logger });
    receiver = await TestReceiver.start();
    const inFlight = new Set<string>();
    let overlaps = 0;
    for (let i = 0; i < 120; i++) {
      receiver.respond(`/hook/${i}`, async (request, res) => {
        if (isHandshake(request)) return defaultResponder(request, res);
        const ids = (request.json as { value: Array<{ subscriptionId: string }> }).value.map(
          (n) => n.subscriptionId,
        );
        for (const id of ids) {
          if (inFlight.has(id)) overlaps++;
          inFlight.add(id);
        }
        // Each POST stays out 15 ms, so the nodes' deliveries overlap in time.
        await answerAfter(15, (_request, answer) => {
          for (const id of ids) inFlight.delete(id);
          answer.writeHead(200).end();
        })(request, res);
      });
    }
    const fx = await sharePointList(first);
    const subscriptions = [];
    for (let i = 0; i < 120; i++) subscriptions.push(await fx.subscribe(receiver.url(`/hook/${i}`)));
    // One change marks all 120 subscriptions: 120 marks, each to be sent exactly once.
    await fx.change();
    await receiver.waitForNotifications(120, undefined, 30_000);
    await Promise.all([first.settle(), second.dispatcher.idle()]);
    const notified = receiver
      .notifications()
      .flatMap((r) =>
        (r.json as { value: Array<{ subscriptionId: string }> }).value.map((n) => n.subscriptionId),
      );
    expect(overlaps).toBe(0);
    expect(notified).toHaveLength(120);
    expect(new Set(notified).size).toBe(120);
    expect(counters[0]!.count() + counters[1]!.count()).toBe(120);
    expect(counters[0]!.count()).toBeGreaterThan(0);
    expect(counters[1]!.count()).toBeGreaterThan(0);
  });
});
