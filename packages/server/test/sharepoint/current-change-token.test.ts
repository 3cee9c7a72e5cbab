import { afterEach, describe, expect, it } from "vitest";
import { DAY } from "../../src/clock.js";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { SpClient } from "./sp-client.js";

describe("SP.List.CurrentChangeToken", () => {
  let t: TestNudge;
  afterEach(async () => t?.stop());

  const changesFrom = (sp: SpClient, list: string, token: string) =>
    sp.post(`web/lists('${list}')/getchanges`, {
      query: { Add: true, Update: true, Item: true, ChangeTokenStart: { StringValue: token } },
    });

  it("is positioned after the newest change: reading from it returns only later changes", async () => {
    t = await startTestNudge();
    const sp = SpClient.for(t);
    const list = await sp.createList("Docs");
    await sp.post(`web/lists('${list}')/items`, { Title: "before" });
    const token = (await sp.get(`web/lists('${list}')?$select=CurrentChangeToken`)).json.CurrentChangeToken
      .StringValue as string;
    await sp.post(`web/lists('${list}')/items`, { Title: "after" });
    const changes = await changesFrom(sp, list, token);
    expect(changes.status).toBe(200);
    expect(changes.json.value.map((c: { ItemId: number }) => c.ItemId)).toEqual([2]);
  });

  it("is still servable when every change of a quiet list was pruned", async () => {
    t = await startTestNudge();
    const sp = SpClient.for(t);
    const list = await sp.createList("Docs");
    await sp.post(`web/lists('${list}')/items`, { Title: "long ago" });
    t.clock.advance(31 * DAY);
    await t.nudge.services.feed.prune();
    const token = (await sp.get(`web/lists('${list}')`)).json.CurrentChangeToken.StringValue as string;
    const changes = await changesFrom(sp, list, token);
    expect(changes.status).toBe(200);
    expect(changes.json.value).toEqual([]);
  });
});
