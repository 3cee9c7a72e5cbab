import { afterEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";

describe("per-user containers", () => {
  let t: TestNudge;
  afterEach(async () => {
    await t?.stop();
  });

  it("makes one drive per user even when first calls race", async () => {
    t = await startTestNudge();
    const s = t.nudge.services;
    const alice = await s.identity.authenticate(t.demo.users.alice.token);
    const drives = await Promise.all(Array.from({ length: 16 }, () => s.resources.ensureOwn(alice, "drive")));
    expect(new Set(drives.map((d) => d.id)).size).toBe(1);
    const listed = (await s.resources.list(alice, { kind: "drive" })).filter(
      (r) => r.ownerId === alice.userId,
    );
    expect(listed).toHaveLength(1);
  });
});
