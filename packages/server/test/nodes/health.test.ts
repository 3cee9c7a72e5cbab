import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";

describe("health endpoints for load balancers", () => {
  let t: TestNudge | undefined;
  afterEach(async () => {
    await t?.stop().catch(() => undefined);
    t = undefined;
  });

  it("answers /health and /health/ready with 200 while running and the database answers", async () => {
    t = await startTestNudge();
    const live = await fetch(`${t.url}/health`);
    expect(live.status).toBe(200);
    expect(await live.json()).toEqual({ status: "ok", role: "all" });
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", role: "all" });
  });

  it("answers /health/ready with 503 when the database does not answer, while /health stays 200", async () => {
    t = await startTestNudge();
    await t.nudge.dispatcher.stop();
    await t.nudge.db.destroy();
    const ready = await fetch(`${t.url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "unavailable", reason: "database", role: "all" });
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
  });
});
