import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";

describe("token=latest on a resource whose whole journal was pruned", () => {
  let t: TestNudge;
  afterEach(async () => t?.stop());

  it("answers a token that reads (no 410) and then returns later changes", async () => {
    t = await startTestNudge();
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${t.url}/v1${path}`, {
        method,
        headers: { ...t.auth.alice, ...(body !== undefined && { "content-type": "application/json" }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads the wire JSON it checks
      return { status: response.status, json: (await response.json()) as any };
    };
    const resource = (await call("POST", "/resources", { title: "Quiet" })).json.id as string;
    await call("POST", `/resources/${resource}/changes`, { changes: [{ item: "old", kind: "add" }] });
    t.clock.advance(31 * DAY);
    await t.nudge.services.feed.prune();
    const latest = (await call("GET", `/resources/${resource}/changes?token=latest`)).json.token as string;
    await call("POST", `/resources/${resource}/changes`, { changes: [{ item: "new", kind: "add" }] });
    const page = await call("GET", `/resources/${resource}/changes?token=${encodeURIComponent(latest)}`);
    expect(page.status).toBe(200);
    expect(page.json.value.map((c: { item: string }) => c.item)).toEqual(["new"]);
  });
});
