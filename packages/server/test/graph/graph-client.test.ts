/**
 * The Microsoft Graph JS client (3.x) against Nudge over HTTPS with a bearer token, as a OneDrive
 * app would use it: subscriptions (create, get, list, renew, delete), uploads and changes that
 * notify, and the delta cycle (token=latest, pages, deltaLink, 410 after pruning).
 */
import { GraphError, type Client } from "@microsoft/microsoft-graph-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DAY, MINUTE } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { TestReceiver } from "../helpers/receiver.js";
import { graphClientFor, type GraphTestClient } from "./graph-client.js";

interface DriveItem {
  id: string;
  name: string;
  deleted?: Record<string, never>;
  file?: unknown;
  folder?: unknown;
  root?: unknown;
}

interface DeltaPage {
  value: DriveItem[];
  "@odata.nextLink"?: string;
  "@odata.deltaLink"?: string;
}

describe("the Graph JS client over HTTPS", () => {
  let t: TestNudge;
  let receiver: TestReceiver;
  let graph: GraphTestClient;
  let client: Client;

  beforeEach(async () => {
    t = await startTestNudge({ config: { server: { tls: { selfSigned: true } } } });
    receiver = await TestReceiver.start();
    graph = graphClientFor(t, t.demo.users.alice.token);
    client = graph.client;
  });
  afterEach(async () => {
    await graph.close();
    await receiver.close();
    await t.stop();
  });

  const subscription = (extra: Record<string, unknown> = {}) => ({
    changeType: "updated",
    notificationUrl: receiver.url("/graph"),
    resource: "/me/drive/root",
    expirationDateTime: new Date(t.clock.now() + 3 * DAY).toISOString(),
    clientState: "secret-from-the-app",
    ...extra,
  });

  it("creates, gets, lists, renews and deletes a subscription", async () => {
    const created = await client.api("/subscriptions").post(subscription());
    expect(created).toMatchObject({
      "@odata.context": `${graph.baseUrl}/v1.0/$metadata#subscriptions/$entity`,
      resource: "/me/drive/root",
      changeType: "updated",
      clientState: "secret-from-the-app",
      applicationId: t.demo.app.clientId,
      creatorId: t.demo.users.alice.id,
      latestSupportedTlsVersion: "v1_2",
    });
    expect(receiver.handshakes("/graph")).toHaveLength(1);

    expect(await client.api(`/subscriptions/${created.id}`).get()).toEqual(created);

    const list = await client.api("/subscriptions").get();
    expect(list["@odata.context"]).toBe(`${graph.baseUrl}/v1.0/$metadata#subscriptions`);
    expect(list.value.map((s: { id: string; clientState: unknown }) => [s.id, s.clientState])).toEqual([
      [created.id, null],
    ]);

    const expirationDateTime = new Date(t.clock.now() + 20 * DAY).toISOString();
    const renewed = await client.api(`/subscriptions/${created.id}`).patch({ expirationDateTime });
    expect(renewed).toEqual({ ...created, expirationDateTime });

    expect(await client.api(`/subscriptions/${created.id}`).delete()).toBeFalsy();
    expect((await client.api("/subscriptions").get()).value).toEqual([]);
    const gone = await graphErrorOf(client.api(`/subscriptions/${created.id}`).get());
    expect(gone.statusCode).toBe(404);
  });

  it("surfaces Graph's error fields (code, message, request id, date) through GraphError", async () => {
    const error = await graphErrorOf(
      client.api("/subscriptions").post(subscription({ changeType: "created" })),
    );
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe("InvalidRequest");
    expect(error.message).toMatch(/changeType 'created' is not supported/);
    expect(error.requestId).toMatch(/\S+/);
    expect(error.date).toBeInstanceOf(Date);
    expect(Number.isNaN(error.date.getTime())).toBe(false);
  });

  it("notifies a /me/drive/root subscription of an upload deep in the tree, in Graph's shape", async () => {
    const created = await client.api("/subscriptions").post(subscription());
    await client.api("/me/drive/root:/reports/2026/march.txt:/content").put("first draft");
    const [post] = await receiver.waitForNotifications(1, "/graph");
    expect(post!.json).toEqual({
      value: [
        {
          subscriptionId: created.id,
          expirationDateTime: created.expirationDateTime,
          resource: "/me/drive/root",
          clientState: "secret-from-the-app",
        },
      ],
    });
  });

  it("follows token=latest, then delta pages and the deltaLink to exactly the changes made", async () => {
    // Before the token: none of this may appear in the delta.
    await client.api("/me/drive/root:/old/untouched.txt:/content").put("old");
    await client.api("/me/drive/root:/old/renamed-later.txt:/content").put("old");
    await client.api("/me/drive/root:/old/deleted-later.txt:/content").put("old");

    const latest: DeltaPage = await client
      .api("/me/drive/root/delta")
      .query({ token: "latest" })
      .top(2)
      .get();
    expect(latest.value).toEqual([]);
    expect(latest["@odata.nextLink"]).toBeUndefined();
    expect(latest["@odata.deltaLink"]).toMatch(
      new RegExp(`^${escape(graph.baseUrl)}/v1.0/me/drive/root/delta\\?`),
    );

    const added: DriveItem = await client.api("/me/drive/root:/new/a.txt:/content").put("a1");
    await client.api("/me/drive/root:/new/a.txt:/content").put("a2, changed again");
    const b: DriveItem = await client.api("/me/drive/root:/new/b.txt:/content").put("b");
    const renamed: DriveItem = await client.api("/me/drive/root:/old/renamed-later.txt").get();
    await client.api(`/me/drive/items/${renamed.id}`).patch({ name: "renamed-now.txt" });
    const doomed: DriveItem = await client.api("/me/drive/root:/old/deleted-later.txt").get();
    await client.api(`/me/drive/items/${doomed.id}`).delete();
    const newFolder: DriveItem = await client.api("/me/drive/root:/new").get();

    const { items, pages, deltaLink } = await followDelta(client, latest["@odata.deltaLink"]!);
    expect(pages).toBeGreaterThan(1); // $top=2 carried through the links
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length); // each item at most once per round
    const changed = items.filter((i) => !i.root);
    expect(changed.map((i) => i.id).sort()).toEqual(
      [added.id, b.id, renamed.id, doomed.id, newFolder.id].sort(),
    );
    expect(changed.find((i) => i.id === renamed.id)!.name).toBe("renamed-now.txt");
    expect(changed.find((i) => i.id === doomed.id)!.deleted).toEqual({});
    expect(changed.filter((i) => i.deleted).map((i) => i.id)).toEqual([doomed.id]);

    // The round's deltaLink starts where it ended: nothing new, then exactly the next change.
    const quiet = await followDelta(client, deltaLink);
    expect(quiet.items).toEqual([]);
    const c: DriveItem = await client.api("/me/drive/root:/new/c.txt:/content").put("c");
    const next = await followDelta(client, quiet.deltaLink);
    expect(next.items.filter((i) => !i.root && !i.folder).map((i) => i.id)).toEqual([c.id]);
  });

  it("answers 410 resyncChangesApplyDifferences with a Location for a token the journal pruned", async () => {
    const latest: DeltaPage = await client.api("/me/drive/root/delta").query({ token: "latest" }).get();
    await client.api("/me/drive/root:/a.txt:/content").put("a");
    t.clock.advance(t.nudge.config.journal.retentionDays * DAY + MINUTE);
    await t.nudge.services.feed.prune();

    const error = await graphErrorOf(client.api(latest["@odata.deltaLink"]!).get());
    expect(error.statusCode).toBe(410);
    expect(error.code).toBe("resyncChangesApplyDifferences");
    const location = error.headers?.get("location");
    expect(location).toBe(`${graph.baseUrl}/v1.0/me/drive/root/delta`);

    // Starting again from the Location enumerates the drive as it is now.
    const again = await followDelta(client, location!);
    expect(again.items.filter((i) => i.file).map((i) => i.name)).toEqual(["a.txt"]);
  });
});

async function followDelta(
  client: Client,
  link: string,
): Promise<{ items: DriveItem[]; pages: number; deltaLink: string }> {
  const items: DriveItem[] = [];
  let next: string | undefined = link;
  for (let pages = 1; pages <= 50; pages++) {
    const page: DeltaPage = await client.api(next).get();
    items.push(...page.value);
    if (page["@odata.deltaLink"]) return { items, pages, deltaLink: page["@odata.deltaLink"] };
    next = page["@odata.nextLink"];
    if (!next) throw new Error("a delta page with neither nextLink nor deltaLink");
  }
  throw new Error("more than 50 delta pages");
}

async function graphErrorOf(call: Promise<unknown>): Promise<GraphError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GraphError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
