/**
 * "Expect concurrent notifications": notifications that arrive while a feed syncs cause exactly one
 * more sync after it, however many they are, and feeds of different resources do not wait for
 * each other. Counted by the store reads: every sync starts by reading its position.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { createReceiver, type Receiver } from "../src/receiver.js";
import { MemoryTokenStore } from "../src/store/token-store.js";
import { Gate } from "./helpers/gate.js";
import { ReceiverHost } from "./helpers/host.js";
import { postTo } from "./helpers/post.js";
import { ChangeRecorder } from "./helpers/recorder.js";
import { CLIENT_STATE, SURFACE_FIXTURES } from "./helpers/surfaces.js";

/** A memory store that counts the syncs of each feed (each begins with one read). */
class CountingStore extends MemoryTokenStore {
  readonly syncs = new Map<string, number>();
  override async get(key: string): Promise<string | undefined> {
    this.syncs.set(key, (this.syncs.get(key) ?? 0) + 1);
    return super.get(key);
  }
}

const native = SURFACE_FIXTURES.find((f) => f.surface === "native")!;

describe("collapsing concurrent notifications", () => {
  let t: TestNudge;
  let host: ReceiverHost;
  let receiver: Receiver;
  afterEach(async () => {
    await receiver?.close();
    await host?.close();
    await t?.stop();
  });

  async function start(gate: Gate) {
    t = await startTestNudge();
    host = await ReceiverHost.start();
    const s = await native.prepare(t);
    const store = new CountingStore();
    const recorder = new ChangeRecorder(s.nameOf, { gate });
    receiver = createReceiver({
      surface: "native",
      feed: { baseUrl: s.feedBaseUrl },
      store,
      getAccessToken: () => t.demo.users.alice.token,
      onChanges: recorder.onChanges,
      clientState: CLIENT_STATE,
    });
    host.use(receiver);
    return { s, store, recorder };
  }

  it("runs exactly one more sync after a sync during which ten notifications arrived", async () => {
    const gate = new Gate();
    const { s, store, recorder } = await start(gate);
    await s.change("a");
    await postTo(host.url(), { value: [s.entry()] });
    await recorder.waitForCalls(1);
    await s.change("b");
    for (let i = 0; i < 10; i++) expect((await postTo(host.url(), { value: [s.entry()] })).status).toBe(202);
    gate.open();
    await recorder.waitForNames(["a", "b"]);
    await receiver.idle();
    expect(store.syncs.get(`native:${s.entry().resource}`)).toBe(2);
    expect(recorder.maxActive).toBe(1);
  });

  it("syncs another resource's feed while one feed's callback is blocked", async () => {
    const gate = new Gate();
    const { s, recorder } = await start(gate);
    try {
      await s.change("a");
      await postTo(host.url(), { value: [s.entry()] });
      await recorder.waitForCalls(1);
      const other = await native.prepare(t);
      await other.change("elsewhere");
      await postTo(host.url(), { value: [other.entry()] });
      // Both callbacks wait at the same gate: the second could only start beside the first.
      await recorder.waitForCalls(2);
      expect(recorder.active).toBe(2);
    } finally {
      gate.open();
    }
    await recorder.waitForNames(["a", "elsewhere"]);
  });
});
