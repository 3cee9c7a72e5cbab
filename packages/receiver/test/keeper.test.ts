/**
 * The subscription keeper against a real Nudge, on the fake clock: it creates a subscription (the
 * handshake answered by a receiver), renews it before it expires and not before, adopts the one it
 * already has, makes a new one when the service dropped it, and deletes it when told.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DAY, HOUR } from "@nudge/server";
import { startTestNudge, type TestNudge, waitFor } from "@nudge/test-support";
import {
  keepSubscription,
  type KeepSubscriptionOptions,
  type SubscriptionKeeper,
} from "../src/keeper/keeper.js";
import { createReceiver } from "../src/receiver.js";
import { MemoryTokenStore } from "../src/store/token-store.js";
import { ReceiverHost } from "./helpers/host.js";
import { CLIENT_STATE } from "./helpers/surfaces.js";

interface Listed {
  id: string;
  expirationDateTime: string;
}

/** How each subscription surface is addressed, and its subscriptions listed straight from the API. */
const SURFACES = [
  {
    surface: "native" as const,
    async prepare(t: TestNudge) {
      const resource = (await call(t, "POST", "/v1/resources", { title: "Orders" })).id as string;
      return {
        options: { baseUrl: t.url, resource },
        list: async () => (await call(t, "GET", `/v1/subscriptions?resource=${resource}`)).value as Listed[],
      };
    },
  },
  {
    surface: "sharepoint" as const,
    async prepare(t: TestNudge) {
      const web = "/sites/dev/_api/web";
      const list = (await call(t, "POST", `${web}/lists`, { Title: "Docs", BaseTemplate: 100 })).Id as string;
      return {
        options: { baseUrl: t.url, resource: "Docs", site: "/sites/dev" },
        list: async () => (await call(t, "GET", `${web}/lists('${list}')/subscriptions`)).value as Listed[],
      };
    },
  },
  {
    surface: "graph" as const,
    async prepare(t: TestNudge) {
      return {
        options: { baseUrl: `${t.url}/v1.0`, resource: "/me/drive/root" },
        list: async () => (await call(t, "GET", "/v1.0/subscriptions")).value as Listed[],
      };
    },
  },
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire JSON, checked by the tests
async function call(t: TestNudge, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      ...t.auth.alice,
      accept: "application/json;odata=nometadata",
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

describe.each(SURFACES)("keeping a $surface subscription", ({ surface, prepare }) => {
  let t: TestNudge;
  let host: ReceiverHost;
  const keepers: SubscriptionKeeper[] = [];
  afterEach(async () => {
    for (const keeper of keepers.splice(0)) keeper.stop();
    await host?.close();
    await t?.stop();
  });

  async function start() {
    t = await startTestNudge();
    host = await ReceiverHost.start();
    // A receiver that answers handshakes; no notification matters here.
    host.use(
      createReceiver({
        surface,
        feed: { baseUrl: t.url },
        store: new MemoryTokenStore(),
        onChanges: () => undefined,
      }),
    );
    const prepared = await prepare(t);
    const keep = async (extra: Partial<KeepSubscriptionOptions> = {}) => {
      const keeper = await keepSubscription({
        surface,
        ...prepared.options,
        notificationUrl: host.url(),
        clientState: CLIENT_STATE,
        getAccessToken: () => t.demo.users.alice.token,
        clock: t.clock,
        checkEveryMs: 0,
        lifetimeMs: 10 * DAY,
        renewBeforeMs: DAY,
        ...extra,
      });
      keepers.push(keeper);
      return keeper;
    };
    return { keep, list: prepared.list };
  }

  it("renews the subscription a day before it expires, and not earlier, as the fake clock moves", async () => {
    const { keep, list } = await start();
    const keeper = await keep();
    const created = keeper.subscription;
    expect(created.expiresAt).toBe(t.clock.now() + 10 * DAY);
    t.clock.advance(8 * DAY);
    // Checks run one after another: once this one is done, the check the move started is too.
    await keeper.check();
    expect(keeper.subscription.expiresAt).toBe(created.expiresAt);
    t.clock.advance(DAY + HOUR);
    const renewedTo = t.clock.now() + 10 * DAY;
    await waitFor(() => keeper.subscription.expiresAt === renewedTo, { what: "the renewal" });
    const [listed] = await list();
    expect(listed!.id).toBe(created.id);
    expect(Date.parse(listed!.expirationDateTime)).toBe(renewedTo);
  });

  it("adopts the subscription it already has for its URL instead of making a second", async () => {
    const { keep, list } = await start();
    const first = await keep();
    first.stop();
    const second = await keep();
    expect(second.subscription.id).toBe(first.subscription.id);
    expect(await list()).toHaveLength(1);
  });

  it("makes a new subscription when the service no longer has its own", async () => {
    const { keep, list } = await start();
    const keeper = await keep();
    const gone = keeper.subscription.id;
    await keep({ clientState: "another-secret" }); // replaces it: same URL, another secret
    await keeper.renew();
    expect(keeper.subscription.id).not.toBe(gone);
    expect((await list()).map((s) => s.id)).toContain(keeper.subscription.id);
  });

  it("deletes its subscription when told", async () => {
    const { keep, list } = await start();
    const keeper = await keep();
    await keeper.delete();
    expect(await list()).toEqual([]);
  });
});

describe("keeping an app-level surface", () => {
  it.each(["onenote", "onedrive-legacy"] as const)(
    "refuses %s: there is no subscription to keep",
    async (surface) => {
      await expect(
        keepSubscription({
          surface,
          baseUrl: "http://127.0.0.1:1",
          resource: "x",
          notificationUrl: "http://127.0.0.1:2/",
        }),
      ).rejects.toThrow(/no subscriptions to keep/);
    },
  );
});
