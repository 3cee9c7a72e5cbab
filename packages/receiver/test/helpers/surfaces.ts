/**
 * Each surface as the tests drive it against a real Nudge: what to prepare (a resource, a list, a
 * drive, a notebook section), how to get notified (a subscription made by the keeper, or the app's
 * webhook plus a registering call), how to make one named change, and how to find that name again
 * in what the feed returns. The receiver tests run the same specifications over all five.
 */
import type { TestNudge } from "@nudge/test-support";
import { keepSubscription, type SubscriptionKeeper } from "../../src/keeper/keeper.js";
import type { FeedChange, FeedTarget } from "../../src/feeds/feed.js";
import type { NotificationEntry } from "../../src/notification.js";
import type { SurfaceName } from "../../src/surfaces.js";

export const CLIENT_STATE = "receiver-test-secret";

export interface PreparedSurface {
  feedBaseUrl: string;
  target: FeedTarget;
  /** What createReceiver needs to tell genuine notifications from forged ones. */
  verification: { clientState?: string; appId?: string };
  /** Makes Nudge notify `url`: a subscription through the keeper, or the app's webhook (null keeper). */
  connect(url: string): Promise<SubscriptionKeeper | null>;
  /** One change, one request. */
  change(name: string): Promise<void>;
  /** The name a delivered change is about; undefined for what the test did not make (the drive root). */
  nameOf(change: FeedChange): string | undefined;
  /** A genuine entry, as Nudge sends it. */
  entry(): NotificationEntry;
  /** An entry a receiver must refuse; undefined where the payload carries no secret (the OneDrive preview). */
  forgedEntry(): NotificationEntry | undefined;
}

export interface SurfaceFixture {
  surface: SurfaceName;
  /** The feed's positions can expire (410 after journal pruning); OneNote's timestamps cannot. */
  expires: boolean;
  prepare(t: TestNudge): Promise<PreparedSurface>;
}

/** A call as alice that must succeed; answers the JSON (wire shapes vary by surface, so untyped). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function call(t: TestNudge, method: string, path: string, body?: unknown, raw?: string): Promise<any> {
  const response = await fetch(path.startsWith("http") ? path : `${t.url}${path}`, {
    method,
    headers: {
      ...t.auth.alice,
      accept: "application/json;odata=nometadata",
      ...((body !== undefined || raw !== undefined) && {
        "content-type": raw !== undefined ? "text/plain" : "application/json",
      }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    ...(raw !== undefined && { body: raw }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

function keeper(
  t: TestNudge,
  surface: "native" | "sharepoint" | "graph",
  baseUrl: string,
  resource: string,
  url: string,
  site?: string,
) {
  return keepSubscription({
    surface,
    baseUrl,
    resource,
    ...(site && { site }),
    notificationUrl: url,
    clientState: CLIENT_STATE,
    getAccessToken: () => t.demo.users.alice.token,
    clock: t.clock,
    checkEveryMs: 0,
  });
}

/** The app-level webhook (OneNote, OneDrive preview): set by the operator, on the app's root domain. */
async function setAppWebhook(t: TestNudge, url: string): Promise<void> {
  const response = await fetch(`${t.url}/admin/tenants/${t.demo.tenantId}/apps/${t.demo.app.clientId}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify({ webhookUrl: url, rootDomain: "127.0.0.1" }),
  });
  if (response.status !== 200)
    throw new Error(`app webhook not set: ${response.status} ${await response.text()}`);
}

const fileName = (change: FeedChange) => {
  const name = String(change.name ?? "");
  return name.endsWith(".txt") ? name.slice(0, -4) : undefined;
};

const native: SurfaceFixture = {
  surface: "native",
  expires: true,
  async prepare(t) {
    const resource = (await call(t, "POST", "/v1/resources", { title: "Orders" })).id as string;
    return {
      feedBaseUrl: t.url,
      target: { surface: "native", resource },
      verification: { clientState: CLIENT_STATE },
      connect: (url) => keeper(t, "native", t.url, resource, url),
      change: (name) =>
        call(t, "POST", `/v1/resources/${resource}/changes`, { changes: [{ item: name, kind: "add" }] }),
      nameOf: (change) => String(change.item),
      entry: () => ({
        subscriptionId: "s-1",
        resource,
        tenantId: t.demo.tenantId,
        clientState: CLIENT_STATE,
      }),
      forgedEntry: () => ({
        subscriptionId: "s-1",
        resource,
        tenantId: t.demo.tenantId,
        clientState: "guessed",
      }),
    };
  },
};

const sharepoint: SurfaceFixture = {
  surface: "sharepoint",
  expires: true,
  async prepare(t) {
    const web = "/sites/dev/_api/web";
    const list = String(
      (await call(t, "POST", `${web}/lists`, { Title: "Docs", BaseTemplate: 100 })).Id,
    ).toLowerCase();
    const names = new Map<number, string>();
    const entry = (clientState: string) => ({
      subscriptionId: "s-1",
      clientState,
      resource: list,
      siteUrl: "/sites/dev",
    });
    return {
      feedBaseUrl: t.url,
      target: { surface: "sharepoint", siteUrl: "/sites/dev", list },
      verification: { clientState: CLIENT_STATE },
      connect: (url) => keeper(t, "sharepoint", t.url, "Docs", url, "/sites/dev"),
      async change(name) {
        const item = await call(t, "POST", `${web}/lists('${list}')/items`, { Title: name });
        names.set(Number(item.Id), name);
      },
      nameOf: (change) => names.get(Number(change.ItemId)),
      entry: () => entry(CLIENT_STATE),
      forgedEntry: () => entry("guessed"),
    };
  },
};

const graph: SurfaceFixture = {
  surface: "graph",
  expires: true,
  async prepare(t) {
    await call(t, "GET", "/v1.0/me/drive");
    const entry = (clientState: string) => ({
      subscriptionId: "s-1",
      resource: "/me/drive/root",
      clientState,
    });
    return {
      feedBaseUrl: `${t.url}/v1.0`,
      target: { surface: "graph", resource: "/me/drive/root" },
      verification: { clientState: CLIENT_STATE },
      connect: (url) => keeper(t, "graph", `${t.url}/v1.0`, "/me/drive/root", url),
      change: (name) => call(t, "PUT", `/v1.0/me/drive/root:/${name}.txt:/content`, undefined, name),
      nameOf: fileName,
      entry: () => entry(CLIENT_STATE),
      forgedEntry: () => entry("guessed"),
    };
  },
};

const onenote: SurfaceFixture = {
  surface: "onenote",
  expires: false,
  async prepare(t) {
    const notes = "/api/v1.0/me/notes";
    const notebook = (await call(t, "POST", `${notes}/notebooks`, { name: "Work" })).id as string;
    const section = (await call(t, "POST", `${notes}/notebooks/${notebook}/sections`, { name: "Meetings" }))
      .id as string;
    const userId = t.demo.users.alice.id;
    return {
      feedBaseUrl: `${t.url}/api/v1.0`,
      target: { surface: "onenote", userId },
      verification: { appId: t.demo.app.clientId },
      async connect(url) {
        await setAppWebhook(t, url);
        await call(t, "GET", `${notes}/notebooks`); // registers alice for the app's webhook
        return null;
      },
      change: (name) =>
        call(t, "POST", `${notes}/sections/${section}/pages`, { title: name, content: "<p>x</p>" }),
      nameOf: (change) => String(change.title),
      entry: () => ({ subscriptionId: t.demo.app.clientId, userId }),
      forgedEntry: () => ({ subscriptionId: "another-app", userId }),
    };
  },
};

const legacy: SurfaceFixture = {
  surface: "onedrive-legacy",
  expires: true,
  async prepare(t) {
    await call(t, "GET", "/drive");
    const userId = t.demo.users.alice.id;
    return {
      feedBaseUrl: t.url,
      target: { surface: "onedrive-legacy", userId },
      verification: {},
      async connect(url) {
        await setAppWebhook(t, url);
        await call(t, "GET", "/drive/root"); // registers alice for the app's webhook
        return null;
      },
      change: (name) => call(t, "PUT", `/drive/root:/${name}.txt:/content`, undefined, name),
      nameOf: fileName,
      entry: () => ({ subscriptionId: "WLS_SubscriptionId_1", userId, entity: { id: userId } }),
      forgedEntry: () => undefined,
    };
  },
};

export const SURFACE_FIXTURES: SurfaceFixture[] = [native, sharepoint, graph, onenote, legacy];
