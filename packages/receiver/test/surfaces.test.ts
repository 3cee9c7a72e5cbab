/**
 * The receiver's promises, surface by surface, against a real Nudge over real HTTP: the handshake,
 * 403 for a forged notification, 202 before the work, a burst delivered exactly once with one sync
 * at a time, a position that survives a restart, and a resync when the position expired.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "@nudge/server";
import { countMarks } from "../../server/src/store/repositories/pending-marks.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { createReceiver, type Receiver, type ReceiverOptions } from "../src/receiver.js";
import { FileTokenStore } from "../src/store/file-store.js";
import { MemoryTokenStore, type TokenStore } from "../src/store/token-store.js";
import { Gate } from "./helpers/gate.js";
import { ReceiverHost } from "./helpers/host.js";
import { postTo } from "./helpers/post.js";
import { ChangeRecorder } from "./helpers/recorder.js";
import { SURFACE_FIXTURES, type PreparedSurface } from "./helpers/surfaces.js";

describe.each(SURFACE_FIXTURES)("the $surface receiver", (fixture) => {
  let t: TestNudge;
  let host: ReceiverHost;
  let s: PreparedSurface;
  const receivers: Receiver[] = [];
  const dirs: string[] = [];

  afterEach(async () => {
    for (const receiver of receivers.splice(0)) await receiver.close();
    await host?.close();
    await t?.stop();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<void> {
    t = await startTestNudge();
    host = await ReceiverHost.start();
    s = await fixture.prepare(t);
  }

  function receiverFor(recorder: ChangeRecorder, options: Partial<ReceiverOptions> = {}): Receiver {
    const receiver = createReceiver({
      surface: fixture.surface,
      feed: { baseUrl: s.feedBaseUrl },
      store: new MemoryTokenStore(),
      getAccessToken: () => t.demo.users.alice.token,
      onChanges: recorder.onChanges,
      ...s.verification,
      ...options,
    });
    receivers.push(receiver);
    host.use(receiver);
    return receiver;
  }

  /** Nudge has sent every notification it owes (the receiver answered them all). */
  const notificationsSent = async () => {
    await t.settle();
    expect(await countMarks(t.nudge.services.ctx.db)).toBe(0);
  };

  it("answers the validation handshake at once, in either spelling, with the decoded token", async () => {
    await start();
    receiverFor(new ChangeRecorder(s.nameOf));
    const lower = await postTo(`${host.url()}?validationtoken=a1b2-c3`);
    expect(lower).toEqual({ status: 200, contentType: "text/plain; charset=utf-8", text: "a1b2-c3" });
    const graphStyle = await postTo(
      `${host.url()}?validationToken=Validation%3A+Testing+client+reachability`,
    );
    expect(graphStyle.text).toBe("Validation: Testing client reachability");
    // Subscription surfaces: Nudge itself shakes hands before it stores the subscription.
    const keeper = await s.connect(host.url());
    if (keeper) {
      expect(keeper.subscription.id).toMatch(/\S/);
      keeper.stop();
    }
  });

  it("refuses a forged notification with 403 and pulls nothing", async () => {
    await start();
    const recorder = new ChangeRecorder(s.nameOf);
    const store = new MemoryTokenStore();
    const forged = s.forgedEntry();
    // The OneDrive preview's payload carries no secret: only a signature hook can tell.
    const signature = forged ? {} : { verifySignature: () => false };
    const receiver = receiverFor(recorder, { store, ...signature });
    await s.change("a");
    const answer = await postTo(host.url(), { value: [s.entry(), forged ?? s.entry()] });
    expect(answer.status).toBe(403);
    // A receiver starts its syncs one event-loop turn after its answer (setImmediate): after this
    // turn, any sync it (wrongly) asked for is queued, and idle() waits for it.
    await new Promise((resolve) => setImmediate(resolve));
    await receiver.idle();
    expect(recorder.calls).toBe(0);
    expect(await store.get(`${fixture.surface}:x`)).toBeUndefined();
  });

  it("answers 202 while a slow callback is still working", async () => {
    await start();
    const gate = new Gate();
    const recorder = new ChangeRecorder(s.nameOf, { gate });
    const receiver = receiverFor(recorder);
    await receiver.startAtLatest(s.target);
    await s.connect(host.url());
    await s.change("a");
    await recorder.waitForCalls(1);
    const answer = await postTo(host.url(), { value: [s.entry()] });
    expect(answer.status).toBe(202);
    expect(gate.opened).toBe(false);
    expect(recorder.names).toEqual([]);
    gate.open();
    await recorder.waitForNames(["a"]);
  });

  it("delivers a burst of 50 changes exactly once, and never syncs one feed twice at a time", async () => {
    await start();
    const gate = new Gate();
    const recorder = new ChangeRecorder(s.nameOf, { gate, delayMs: 5 });
    // Small pages: every sync reads several, and a OneNote tie (one fake-clock time) spans pages.
    const receiver = receiverFor(recorder, { feed: { baseUrl: s.feedBaseUrl, pageSize: 7 } });
    await receiver.startAtLatest(s.target);
    await s.connect(host.url());
    await s.change("warm-up");
    await recorder.waitForCalls(1);
    const burst = Array.from({ length: 50 }, (_, i) => `c${i}`);
    for (const name of burst) await s.change(name);
    await notificationsSent();
    gate.open();
    await recorder.waitForNames(burst);
    await receiver.idle();
    expect(burst.filter((name) => recorder.count(name) !== 1)).toEqual([]);
    expect(recorder.count("warm-up")).toBe(1);
    expect(recorder.maxActive).toBe(1);
  });

  it("keeps its position across a restart: a new receiver on the same store sees only new changes", async () => {
    await start();
    const dir = mkdtempSync(join(tmpdir(), "nudge-receiver-"));
    dirs.push(dir);
    const path = join(dir, "tokens.json");
    const first = new ChangeRecorder(s.nameOf);
    const before = receiverFor(first, { store: new FileTokenStore(path) });
    await before.startAtLatest(s.target);
    await s.connect(host.url());
    await s.change("before");
    await first.waitForNames(["before"]);
    await before.idle();
    await before.close();

    const second = new ChangeRecorder(s.nameOf);
    const after = receiverFor(second, { store: new FileTokenStore(path) });
    await s.change("after");
    await second.waitForNames(["after"]);
    await after.idle();
    expect(second.names).toEqual(["after"]);
    expect(second.batches.every((batch) => !batch.initial && !batch.resync)).toBe(true);
  });

  // OneNote positions are timestamps: they never expire.
  if (fixture.expires)
    it("starts again from scratch when its position expired, and says it is a resync", async () => {
      await start();
      const recorder = new ChangeRecorder(s.nameOf);
      const store: TokenStore = new MemoryTokenStore();
      const receiver = receiverFor(recorder, { store });
      await receiver.startAtLatest(s.target);
      // Changes nobody is told about, then pruned from the journal: the stored position is too old.
      await s.change("old-1");
      await s.change("old-2");
      t.clock.advance(31 * DAY);
      await t.nudge.services.feed.prune();
      await s.connect(host.url());
      await s.change("new");
      await recorder.waitForBatch((batch) => batch.resync);
      await receiver.idle();
      if (fixture.surface === "native" || fixture.surface === "sharepoint") {
        // Journal-only feeds cannot list the resource: one empty batch says "re-read it", then on.
        expect(recorder.batches.filter((batch) => batch.resync).map((batch) => batch.changes)).toEqual([[]]);
        await s.change("newer");
        await recorder.waitForNames(["newer"]);
        expect(recorder.names).toEqual(["newer"]);
      } else {
        const listed = recorder.batches.filter((batch) => batch.resync).flatMap((batch) => batch.changes);
        expect(listed.map(s.nameOf).sort()).toEqual(expect.arrayContaining(["new", "old-1", "old-2"]));
      }
    });
});
