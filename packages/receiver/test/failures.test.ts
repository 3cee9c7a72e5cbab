/**
 * A callback that throws: the position stays before the page, the error is reported, and the
 * sync is tried again after the retry delay, with the same changes.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { MINUTE } from "@nudge/server";
import { createReceiver, type Receiver } from "../src/receiver.js";
import { MemoryTokenStore } from "../src/store/token-store.js";
import { ReceiverHost } from "./helpers/host.js";
import { SURFACE_FIXTURES } from "./helpers/surfaces.js";

const native = SURFACE_FIXTURES.find((f) => f.surface === "native")!;

describe("a failing callback", () => {
  let t: TestNudge;
  let host: ReceiverHost;
  let receiver: Receiver;
  afterEach(async () => {
    await receiver?.close();
    await host?.close();
    await t?.stop();
  });

  it("is reported, keeps the position, and is given the same changes again after the retry delay", async () => {
    t = await startTestNudge();
    host = await ReceiverHost.start();
    const s = await native.prepare(t);
    const store = new MemoryTokenStore();
    const calls: string[][] = [];
    const errors: Array<{ message: string; attempt: number }> = [];
    let failed!: () => void;
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    receiver = createReceiver({
      surface: "native",
      feed: { baseUrl: s.feedBaseUrl },
      store,
      getAccessToken: () => t.demo.users.alice.token,
      ...s.verification,
      retryDelaysMs: [5 * MINUTE],
      clock: t.clock,
      onError: (error, { attempt }) => {
        errors.push({ message: (error as Error).message, attempt });
        failed();
      },
      onChanges: ({ changes }) => {
        calls.push(changes.map(s.nameOf) as string[]);
        if (calls.length === 1) throw new Error("database down");
      },
    });
    host.use(receiver);
    await receiver.startAtLatest(s.target);
    const positioned = await store.get(`native:${s.entry().resource}`);
    (await s.connect(host.url()))?.stop();
    await s.change("a");
    await firstFailure;
    // The retry is due 5 minutes after the failure on the receiver's clock: not a millisecond earlier.
    t.clock.advance(5 * MINUTE - 1);
    await receiver.idle();
    expect(calls).toEqual([["a"]]);
    t.clock.advance(1);
    await receiver.idle();
    expect(calls).toEqual([["a"], ["a"]]);
    expect(errors).toEqual([{ message: "database down", attempt: 1 }]);
    await receiver.idle();
    expect(await store.get(`native:${s.entry().resource}`)).not.toBe(positioned);
  });
});
