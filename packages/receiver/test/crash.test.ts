/**
 * kill -9 in the middle of a callback: the receiver process dies with changes handed over but not
 * done, and its position was not moved past them. After a restart on the same store, those changes
 * come again (and what was done before does not).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MINUTE } from "@nudge/server";
import { countMarks } from "../../server/src/store/repositories/pending-marks.js";
import { startTestNudge, type TestNudge, waitFor } from "@nudge/test-support";
import type { ReceiverProcessConfig } from "./fixtures/receiver-process.js";
import { ReceiverProcess } from "./helpers/child.js";
import { SURFACE_FIXTURES } from "./helpers/surfaces.js";

describe.each(SURFACE_FIXTURES)("a $surface receiver killed mid-callback", (fixture) => {
  let t: TestNudge;
  let dir: string;
  const processes: ReceiverProcess[] = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.kill("SIGKILL");
    await t?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is given the same changes again after a restart on the same store", async () => {
    t = await startTestNudge();
    dir = mkdtempSync(join(tmpdir(), "nudge-receiver-crash-"));
    const s = await fixture.prepare(t);
    const config: ReceiverProcessConfig = {
      surface: fixture.surface,
      baseUrl: s.feedBaseUrl,
      token: t.demo.users.alice.token,
      verification: s.verification,
      storePath: join(dir, "tokens.json"),
      port: 0,
    };
    const names = (calls: Array<Array<Record<string, unknown>>>) =>
      calls
        .flat()
        .map(s.nameOf)
        .filter((n) => n !== undefined);

    const first = await ReceiverProcess.start({ ...config, startAt: s.target, holdFromCall: 2 });
    processes.push(first);
    const url = `http://127.0.0.1:${first.port}/hook`;
    (await s.connect(url))?.stop();
    await s.change("done");
    await waitFor(() => names(first.calls).includes("done"), { what: "the first callback" });
    await s.change("in-flight-1");
    await s.change("in-flight-2");
    await waitFor(() => first.calls.length === 2, { what: "the second callback to start" });
    // Every notification sent and answered (the receiver answers 202 while its callback is held).
    await t.settle();
    expect(await countMarks(t.nudge.services.ctx.db)).toBe(0);
    const handedOver = names(first.calls.slice(1));
    expect(handedOver).toContain("in-flight-1");
    await first.kill("SIGKILL");

    const second = await ReceiverProcess.start({ ...config, port: first.port! });
    processes.push(second);
    await s.change("after");
    // A notification that found the port closed is retried later; move the clock to its retry.
    t.clock.advance(10 * MINUTE);
    await waitFor(() => names(second.calls).includes("after"), {
      what: `"after" (seen: ${names(second.calls)})`,
    });
    const replayed = names(second.calls);
    expect(replayed).toEqual(expect.arrayContaining(handedOver));
    expect(replayed).not.toContain("done");
  });
});
