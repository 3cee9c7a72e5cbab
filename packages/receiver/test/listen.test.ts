/**
 * `nudge listen` against a running Nudge: it subscribes a receiver of its own, prints the
 * notification and the change it pulled, and on SIGINT deletes its subscription and exits 0.
 */
import { afterEach, describe, expect, it } from "vitest";
import { FakeClock } from "@nudge/server";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { ListenProcess } from "./helpers/listen-process.js";
import { SURFACE_FIXTURES } from "./helpers/surfaces.js";

const fixture = (surface: string) => SURFACE_FIXTURES.find((f) => f.surface === surface)!;

async function subscriptionsOf(t: TestNudge, resource: string): Promise<unknown[]> {
  const response = await fetch(`${t.url}/v1/subscriptions?resource=${resource}`, { headers: t.auth.alice });
  return ((await response.json()) as { value: unknown[] }).value;
}

describe("nudge listen", () => {
  let t: TestNudge | undefined;
  let listen: ListenProcess | undefined;
  afterEach(async () => {
    await listen?.stop("SIGKILL");
    await t?.stop();
    t = listen = undefined;
  });

  /** `nudge listen` asks for expiry dates by the real clock: the server's must agree with it. */
  const start = () => startTestNudge({ clock: new FakeClock(Date.now()) });

  it("prints a change it was notified of, and on SIGINT deletes its subscription and exits 0", async () => {
    const nudge = (t = await start());
    const s = await fixture("native").prepare(nudge);
    const resource = s.target.surface === "native" ? s.target.resource : "";
    listen = ListenProcess.start([
      "--surface",
      "native",
      "--resource",
      resource,
      "--server",
      nudge.url,
      "--token",
      nudge.demo.users.alice.token,
    ]);
    await listen.waitFor(/^Waiting for notifications/m);
    expect(listen.stdout).toMatch(/^Receiver listening on http:\/\/127\.0\.0\.1:\d+\/hook$/m);
    expect(await subscriptionsOf(nudge, resource)).toHaveLength(1);

    await s.change("order-17");
    await listen.waitFor(/"item":"order-17"/);
    expect(listen.stdout).toMatch(new RegExp(`^notification \\{.*"resource":"${resource}"`, "m"));
    expect(listen.stdout).toMatch(new RegExp(`^changes 1 from native:${resource}$`, "m"));

    const exit = await listen.stop("SIGINT");
    expect(exit).toEqual({ code: 0, signal: null });
    expect(listen.stdout).toMatch(/^Deleted subscription \S+$/m);
    expect(await subscriptionsOf(nudge, resource)).toEqual([]);
  });

  it("listens to a SharePoint list named by site and title", async () => {
    const nudge = (t = await start());
    const s = await fixture("sharepoint").prepare(nudge);
    listen = ListenProcess.start([
      ...["--surface", "sharepoint", "--site", "/sites/dev", "--resource", "Docs"],
      ...["--server", nudge.url, "--token", nudge.demo.users.alice.token],
    ]);
    await listen.waitFor(/^Waiting for notifications/m);
    await s.change("Hello");
    await listen.waitFor(/"ChangeType":1/);
    expect((await listen.stop("SIGINT")).code).toBe(0);
  });

  it("registers the user on an app-level surface and prints the webhook URL to set", async () => {
    const nudge = (t = await start());
    const s = await fixture("onenote").prepare(nudge);
    listen = ListenProcess.start([
      "--surface",
      "onenote",
      "--server",
      nudge.url,
      "--token",
      nudge.demo.users.alice.token,
    ]);
    await listen.waitFor(/^Waiting for notifications/m);
    const [, url] = await listen.waitFor(/Point it at (\S+)$/m);
    await s.connect(url!);
    await s.change("Standup");
    await listen.waitFor(/"title":"Standup"/);
    expect((await listen.stop("SIGINT")).code).toBe(0);
  });

  it("exits 2 with a message when no token is given", async () => {
    listen = ListenProcess.start(["--surface", "graph"]);
    expect((await listen.exited).code).toBe(2);
    expect(listen.stderr).toContain("no token: pass --token or set NUDGE_TOKEN");
  });
});
