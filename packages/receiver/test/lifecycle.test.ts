/**
 * Graph lifecycle events through the SDK: the lifecycle URL's handshake passes, clientState is
 * checked as for notifications, `reauthorizationRequired` reaches the hook (which renews through
 * the keeper), and `missed` makes the receiver read the feed it last heard of for that subscription.
 */
import { afterEach, describe, expect, it } from "vitest";
import { HOUR, MINUTE } from "@nudge/server";
import { startTestNudge, type TestNudge, waitFor } from "@nudge/test-support";
import { keepSubscription, type SubscriptionKeeper } from "../src/keeper/keeper.js";
import type { NotificationEntry } from "../src/notification.js";
import { createReceiver, type Receiver } from "../src/receiver.js";
import { MemoryTokenStore } from "../src/store/token-store.js";
import { ReceiverHost } from "./helpers/host.js";
import { postTo } from "./helpers/post.js";
import { ChangeRecorder } from "./helpers/recorder.js";
import { CLIENT_STATE, SURFACE_FIXTURES } from "./helpers/surfaces.js";

const graph = SURFACE_FIXTURES.find((f) => f.surface === "graph")!;

describe("Graph lifecycle events", () => {
  let t: TestNudge;
  let host: ReceiverHost;
  let receiver: Receiver;
  let keeper: SubscriptionKeeper | undefined;
  afterEach(async () => {
    keeper?.stop();
    await receiver?.close();
    await host?.close();
    await t?.stop();
  });

  async function start(onLifecycleEvent: (event: NotificationEntry) => void) {
    t = await startTestNudge();
    host = await ReceiverHost.start();
    const s = await graph.prepare(t);
    const recorder = new ChangeRecorder(s.nameOf);
    receiver = createReceiver({
      surface: "graph",
      feed: { baseUrl: s.feedBaseUrl },
      store: new MemoryTokenStore(),
      getAccessToken: () => t.demo.users.alice.token,
      onChanges: recorder.onChanges,
      clientState: CLIENT_STATE,
      onLifecycleEvent,
    });
    host.use(receiver);
    return { s, recorder };
  }

  it("hands reauthorizationRequired to the hook, which renews the subscription through the keeper", async () => {
    const events: NotificationEntry[] = [];
    await start((event) => {
      events.push(event);
      if (event.lifecycleEvent === "reauthorizationRequired") void keeper!.renew();
    });
    keeper = await keepSubscription({
      surface: "graph",
      baseUrl: `${t.url}/v1.0`,
      resource: "/me/drive/root",
      notificationUrl: host.url("/hook"),
      lifecycleNotificationUrl: host.url("/lifecycle"),
      clientState: CLIENT_STATE,
      getAccessToken: () => t.demo.users.alice.token,
      clock: t.clock,
      checkEveryMs: 0,
      lifetimeMs: 2 * HOUR,
      // Later than Graph's reminder (an hour before): the renewal here comes from the event.
      renewBeforeMs: 10 * MINUTE,
    });
    const firstExpiry = keeper.subscription.expiresAt;
    t.clock.advance(61 * MINUTE);
    await waitFor(() => events.length === 1, { what: "the lifecycle event" });
    expect(events[0]).toMatchObject({
      subscriptionId: keeper.subscription.id,
      lifecycleEvent: "reauthorizationRequired",
    });
    await waitFor(() => keeper!.subscription.expiresAt === t.clock.now() + 2 * HOUR, { what: "the renewal" });
    expect(keeper.subscription.expiresAt).toBeGreaterThan(firstExpiry);
  });

  it("reads the feed again on `missed`, and refuses a lifecycle event with another clientState", async () => {
    const events: NotificationEntry[] = [];
    const { s, recorder } = await start((event) => events.push(event));
    await receiver.startAtLatest(s.target);
    const missed = { subscriptionId: "s-1", lifecycleEvent: "missed", clientState: CLIENT_STATE };
    expect((await postTo(host.url(), { value: [{ ...missed, clientState: "guessed" }] })).status).toBe(403);
    // A notification ties the subscription to its feed; a change whose notification was lost follows.
    expect((await postTo(host.url(), { value: [s.entry()] })).status).toBe(202);
    await receiver.idle();
    await s.change("lost");
    expect((await postTo(host.url(), { value: [missed] })).status).toBe(202);
    await recorder.waitForNames(["lost"]);
    expect(events).toEqual([missed]);
  });
});
