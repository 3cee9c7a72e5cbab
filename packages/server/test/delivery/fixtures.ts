/** A list with subscriptions, made through the services, for engine tests that need no surface. */
import type { Principal } from "../../src/identity/principal.js";
import type { ResourceRecord } from "../../src/resources/service.js";
import type { SubscriptionRecord } from "../../src/subscriptions/service.js";
import type { TestNudge } from "@nudge/test-support";

export interface ListFixture {
  alice: Principal;
  list: ResourceRecord;
  subscribe(url: string, clientState?: string): Promise<SubscriptionRecord>;
  change(count?: number): Promise<void>;
}

export async function sharePointList(t: TestNudge, title = "Docs"): Promise<ListFixture> {
  const s = t.nudge.services;
  const alice = await s.identity.authenticate(t.demo.users.alice.token);
  const site = await s.resources.ensureSite(alice.tenantId, "/sites/dev");
  const list = await s.resources.create(alice, {
    kind: "sharepoint-list",
    title,
    siteId: site.id,
    template: 100,
  });
  return {
    alice,
    list,
    subscribe: (url, clientState) =>
      s.subscriptions.create(alice, list, s.profiles.sharepoint, { notificationUrl: url, clientState }),
    async change(count = 1) {
      for (let i = 0; i < count; i++) await s.items.addNumbered(list, { Title: `item ${i}` }, alice.userId);
    },
  };
}
