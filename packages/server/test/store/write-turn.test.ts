import { describe, expect, it } from "vitest";
import { WRITERS, WriteTurn } from "../../src/store/write-turn.js";

/** The two threads of a node, as two views of one shared turn (Atomics work the same in one thread). */
function pair(patienceMs = 5000) {
  const api = WriteTurn.create(WRITERS.api);
  const thread = new WriteTurn(api.buffer, WRITERS.deliveryThread, patienceMs);
  const holder = () => new Int32Array(api.buffer)[0];
  return { api, thread, holder };
}

/** Resolves once the event loop has gone round, so an unresolved take() has had every chance. */
const turnOfTheLoop = () => new Promise((resolve) => setImmediate(resolve));

describe("the write turn between a node's threads", () => {
  it("makes the second writer wait and hands the turn over the moment the first gives it", async () => {
    const { api, thread, holder } = pair();
    await api.take();
    expect(holder()).toBe(WRITERS.api);
    let taken = false;
    const waiting = thread.take().then(() => (taken = true));
    await turnOfTheLoop();
    expect(taken).toBe(false);
    api.give();
    await waiting;
    expect(holder()).toBe(WRITERS.deliveryThread);
    thread.give();
    expect(holder()).toBe(0);
  });

  it("frees a turn left held by a thread that ended mid-transaction", async () => {
    const { api, thread, holder } = pair();
    await thread.take();
    const waiting = api.take();
    thread.release(WRITERS.deliveryThread);
    await waiting;
    expect(holder()).toBe(WRITERS.api);
  });

  it("never frees a turn it does not hold", async () => {
    const { api, thread, holder } = pair();
    await api.take();
    thread.give();
    thread.release(WRITERS.deliveryThread);
    expect(holder()).toBe(WRITERS.api);
  });

  it("goes ahead without the turn after its patience, and then gives back nothing it does not hold", async () => {
    const { api, thread, holder } = pair(30);
    await api.take();
    await thread.take();
    expect(holder()).toBe(WRITERS.api);
    thread.give();
    expect(holder()).toBe(WRITERS.api);
  });
});
