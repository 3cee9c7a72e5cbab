/** Sites, resources and grants. */
import type { Executor } from "./types.js";

export interface SiteRecord {
  id: string;
  tenantId: string;
  path: string;
}

export interface ResourceRecord {
  id: string;
  tenantId: string;
  ownerId: string;
  kind: string;
  siteId: string | null;
  title: string;
  template: number | null;
  createdAt: number;
  modifiedAt: number;
}

type ResourceRow = {
  id: string;
  tenant_id: string;
  owner_id: string;
  kind: string;
  site_id: string | null;
  title: string;
  template: number | null;
  created_at: number;
  modified_at: number;
};

function toResource(row: ResourceRow): ResourceRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    ownerId: row.owner_id,
    kind: row.kind,
    siteId: row.site_id,
    title: row.title,
    template: row.template,
    createdAt: row.created_at,
    modifiedAt: row.modified_at,
  };
}

export async function findSite(
  db: Executor,
  tenantId: string,
  path: string,
): Promise<SiteRecord | undefined> {
  const row = await db
    .selectFrom("sites")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("path", "=", path)
    .executeTakeFirst();
  return row && { id: row.id, tenantId: row.tenant_id, path: row.path };
}

export async function findSiteById(db: Executor, id: string): Promise<SiteRecord | undefined> {
  const row = await db.selectFrom("sites").selectAll().where("id", "=", id).executeTakeFirst();
  return row && { id: row.id, tenantId: row.tenant_id, path: row.path };
}

export async function insertSite(db: Executor, site: SiteRecord, now: number): Promise<void> {
  await db
    .insertInto("sites")
    .values({ id: site.id, tenant_id: site.tenantId, path: site.path, created_at: now })
    .onConflict((oc) => oc.columns(["tenant_id", "path"]).doNothing())
    .execute();
}

export async function insertResource(db: Executor, resource: ResourceRecord): Promise<void> {
  await db
    .insertInto("resources")
    .values({
      id: resource.id,
      tenant_id: resource.tenantId,
      owner_id: resource.ownerId,
      kind: resource.kind,
      site_id: resource.siteId,
      title: resource.title,
      template: resource.template,
      next_item_number: 1,
      created_at: resource.createdAt,
      modified_at: resource.modifiedAt,
    })
    .execute();
}

/** A resource the user may see: owned by them or granted to them, in their tenant. */
export async function findVisibleResource(
  db: Executor,
  tenantId: string,
  userId: string,
  id: string,
): Promise<ResourceRecord | undefined> {
  const [found] = await findVisibleResources(db, tenantId, userId, [id]);
  return found;
}

/** The resources among `ids` that the user owns or has been granted, in no particular order. */
export async function findVisibleResources(
  db: Executor,
  tenantId: string,
  userId: string,
  ids: readonly string[],
): Promise<ResourceRecord[]> {
  const found: ResourceRecord[] = [];
  // In slices, to stay under the databases' limits on bound variables.
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom("resources")
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .where("id", "in", ids.slice(i, i + 500))
      .where((eb) =>
        eb.or([
          eb("owner_id", "=", userId),
          eb.exists(
            eb
              .selectFrom("grants")
              .select("grants.user_id")
              .whereRef("grants.resource_id", "=", "resources.id")
              .where("grants.user_id", "=", userId),
          ),
        ]),
      )
      .execute();
    found.push(...rows.map(toResource));
  }
  return found;
}

export interface ResourceFilter {
  tenantId: string;
  userId: string;
  kind?: string;
  siteId?: string;
  title?: string;
}

/** Resources the user may see, own first (so a title lookup prefers the user's own list). */
export async function listVisibleResources(db: Executor, filter: ResourceFilter): Promise<ResourceRecord[]> {
  let query = db
    .selectFrom("resources")
    .selectAll()
    .where("tenant_id", "=", filter.tenantId)
    .where((eb) =>
      eb.or([
        eb("owner_id", "=", filter.userId),
        eb.exists(
          eb
            .selectFrom("grants")
            .select("grants.user_id")
            .whereRef("grants.resource_id", "=", "resources.id")
            .where("grants.user_id", "=", filter.userId),
        ),
      ]),
    );
  if (filter.kind) query = query.where("kind", "=", filter.kind);
  if (filter.siteId) query = query.where("site_id", "=", filter.siteId);
  if (filter.title !== undefined)
    query = query.where((eb) => eb(eb.fn("lower", ["title"]), "=", filter.title!.toLowerCase()));
  const rows = await query.orderBy("created_at").execute();
  const own = rows.filter((r) => r.owner_id === filter.userId);
  const shared = rows.filter((r) => r.owner_id !== filter.userId);
  return [...own, ...shared].map(toResource);
}

export async function findResourceById(db: Executor, id: string): Promise<ResourceRecord | undefined> {
  const row = await db.selectFrom("resources").selectAll().where("id", "=", id).executeTakeFirst();
  return row && toResource(row);
}

/** Hands out the next item number of a list (SharePoint item ids are 1, 2, 3 … per list). */
export async function takeItemNumber(db: Executor, resourceId: string, now: number): Promise<number> {
  const row = await db
    .updateTable("resources")
    .set((eb) => ({ next_item_number: eb("next_item_number", "+", 1), modified_at: now }))
    .where("id", "=", resourceId)
    .returning("next_item_number")
    .executeTakeFirstOrThrow();
  return row.next_item_number - 1;
}

export async function touchResource(db: Executor, resourceId: string, now: number): Promise<void> {
  await db.updateTable("resources").set({ modified_at: now }).where("id", "=", resourceId).execute();
}

export async function insertGrant(
  db: Executor,
  resourceId: string,
  userId: string,
  now: number,
): Promise<void> {
  await db
    .insertInto("grants")
    .values({ resource_id: resourceId, user_id: userId, created_at: now })
    .onConflict((oc) => oc.columns(["resource_id", "user_id"]).doNothing())
    .execute();
}
