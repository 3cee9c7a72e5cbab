import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { answerNotifications, TestReceiver } from "../helpers/receiver.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { sharePointList } from "../delivery/fixtures.js";

describe("logging", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  afterEach(async () => {
    await t?.stop();
    await receiver?.close();
  });

  it("logs one line per delivery at debug level and never a token or secret", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split("\n").filter(Boolean));
        done();
      },
    });
    t = await startTestNudge({ logger: pino({ level: "debug" }, sink) });
    receiver = await TestReceiver.start();
    receiver.respond("/failing", answerNotifications(500));
    const fx = await sharePointList(t);
    await fx.subscribe(receiver.url("/ok"), "client-state-secret");
    await fx.subscribe(receiver.url("/failing"));
    await fx.change();
    await receiver.waitForNotifications(1, "/ok");
    await receiver.waitForNotifications(1, "/failing");
    // Unauthenticated and authenticated HTTP traffic too.
    await fetch(`${t.url}/_api/web/lists`, { headers: t.auth.alice });
    await fetch(`${t.url}/v1/resources`, { headers: { authorization: "Bearer nudge_wrong-token" } });
    await t.settle();
    expect(lines.filter((l) => JSON.parse(l).msg === "delivery")).toHaveLength(2);

    const deliveryLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "delivery");
    expect(deliveryLines.every((l) => l.level === 20)).toBe(true);
    expect(deliveryLines.map((l) => l.status).sort()).toEqual([200, 500]);
    const everything = lines.join("\n");
    for (const secret of [
      t.demo.users.alice.token,
      t.demo.users.bob.token,
      t.demo.app.secret,
      t.adminToken,
      "nudge_wrong-token",
    ]) {
      expect(everything).not.toContain(secret);
    }
  });
});
