/**
 * The operator's view of every subscription, across tenants (`nudge subscriptions list`): no
 * principal, because it is read by whoever can read the database file. It includes expired and
 * disabled subscriptions, with their state and how many pending marks they still have.
 */
import type { ServiceContext } from "../context.js";
import { countMarks } from "../store/repositories/pending-marks.js";
import { findResourceById } from "../store/repositories/resources.js";
import { listSubscriptions, type SubscriptionRecord } from "../store/repositories/subscriptions.js";

export type SubscriptionState = "active" | "expired" | "disabled";

export interface SubscriptionOverview extends SubscriptionRecord {
  state: SubscriptionState;
  resourceTitle: string | null;
  pendingMarks: number;
}

export async function overviewOfSubscriptions(
  ctx: ServiceContext,
  filter: { tenantId?: string } = {},
): Promise<SubscriptionOverview[]> {
  const now = ctx.clock.now();
  const subscriptions = await listSubscriptions(
    ctx.db,
    ctx.secrets,
    filter.tenantId ? { tenantId: filter.tenantId } : {},
  );
  const titles = new Map<string, string | null>();
  const overview: SubscriptionOverview[] = [];
  for (const s of subscriptions) {
    if (!titles.has(s.resourceId))
      titles.set(s.resourceId, (await findResourceById(ctx.db, s.resourceId))?.title ?? null);
    overview.push({
      ...s,
      state: s.disabledAt !== null ? "disabled" : s.expiresAt <= now ? "expired" : "active",
      resourceTitle: titles.get(s.resourceId) ?? null,
      pendingMarks: await countMarks(ctx.db, s.id),
    });
  }
  return overview;
}
