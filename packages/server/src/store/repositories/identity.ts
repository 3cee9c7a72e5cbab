/** Tenants, apps, users and tokens. */
import type { Executor } from "./types.js";

export interface TenantRecord {
  id: string;
  name: string;
  createdAt: number;
}
export interface AppRecord {
  id: string;
  tenantId: string;
  clientId: string;
  name: string;
  webhookUrl: string | null;
  rootDomain: string | null;
  createdAt: number;
}
export interface UserRecord {
  id: string;
  tenantId: string;
  name: string;
  createdAt: number;
}
export interface TokenRecord {
  id: string;
  tenantId: string;
  appId: string;
  userId: string;
  scopes: string[];
}

export async function insertTenant(db: Executor, tenant: TenantRecord): Promise<void> {
  await db
    .insertInto("tenants")
    .values({ id: tenant.id, name: tenant.name, created_at: tenant.createdAt })
    .execute();
}

export async function findTenant(db: Executor, id: string): Promise<TenantRecord | undefined> {
  const row = await db.selectFrom("tenants").selectAll().where("id", "=", id).executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function listTenants(db: Executor): Promise<TenantRecord[]> {
  const rows = await db.selectFrom("tenants").selectAll().orderBy("created_at").execute();
  return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
}

export async function countTenants(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("tenants")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function insertApp(db: Executor, app: AppRecord, secretHash: string): Promise<void> {
  await db
    .insertInto("apps")
    .values({
      id: app.id,
      tenant_id: app.tenantId,
      client_id: app.clientId,
      name: app.name,
      secret_hash: secretHash,
      webhook_url: app.webhookUrl,
      root_domain: app.rootDomain,
      created_at: app.createdAt,
    })
    .execute();
}

export async function findApp(
  db: Executor,
  tenantId: string,
  idOrClientId: string,
): Promise<AppRecord | undefined> {
  const row = await db
    .selectFrom("apps")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where((eb) => eb.or([eb("id", "=", idOrClientId), eb("client_id", "=", idOrClientId)]))
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      tenantId: row.tenant_id,
      clientId: row.client_id,
      name: row.name,
      webhookUrl: row.webhook_url,
      rootDomain: row.root_domain,
      createdAt: row.created_at,
    }
  );
}

export async function insertUser(db: Executor, user: UserRecord): Promise<void> {
  await db
    .insertInto("users")
    .values({ id: user.id, tenant_id: user.tenantId, name: user.name, created_at: user.createdAt })
    .execute();
}

export async function findUser(db: Executor, tenantId: string, id: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom("users")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
  return row && { id: row.id, tenantId: row.tenant_id, name: row.name, createdAt: row.created_at };
}

export async function insertToken(
  db: Executor,
  token: TokenRecord,
  tokenHash: string,
  now: number,
): Promise<void> {
  await db
    .insertInto("tokens")
    .values({
      id: token.id,
      tenant_id: token.tenantId,
      app_id: token.appId,
      user_id: token.userId,
      token_hash: tokenHash,
      scopes: token.scopes.join(" "),
      created_at: now,
      revoked_at: null,
    })
    .execute();
}

export async function findTokenByHash(db: Executor, tokenHash: string): Promise<TokenRecord | undefined> {
  const row = await db
    .selectFrom("tokens")
    .selectAll()
    .where("token_hash", "=", tokenHash)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      tenantId: row.tenant_id,
      appId: row.app_id,
      userId: row.user_id,
      scopes: row.scopes.split(" ").filter(Boolean),
    }
  );
}

export async function updateAppWebhook(
  db: Executor,
  appId: string,
  changes: { webhookUrl: string | null; rootDomain: string | null },
): Promise<void> {
  await db
    .updateTable("apps")
    .set({ webhook_url: changes.webhookUrl, root_domain: changes.rootDomain })
    .where("id", "=", appId)
    .execute();
}
