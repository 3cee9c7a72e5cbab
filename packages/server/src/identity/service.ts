/** Tenants, apps, users, bearer tokens and grants. */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock.js";
import { NudgeError } from "../errors.js";
import type { Db } from "../store/open.js";
import * as repo from "../store/repositories/identity.js";
import { findResourceById, findVisibleResource, insertGrant } from "../store/repositories/resources.js";
import { checkAppWebhook } from "./app-webhook.js";
import type { Principal } from "./principal.js";
import { hashSecret, newSecret } from "./secrets.js";

export type { AppRecord, TenantRecord, UserRecord } from "../store/repositories/identity.js";

export class IdentityService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async createTenant(name: string): Promise<repo.TenantRecord> {
    const tenant = { id: randomUUID(), name, createdAt: this.clock.now() };
    await repo.insertTenant(this.db, tenant);
    return tenant;
  }

  listTenants(): Promise<repo.TenantRecord[]> {
    return repo.listTenants(this.db);
  }

  /** A tenant, or `tenantNotFound` (the admin API checks the tenant of every nested path). */
  async getTenant(tenantId: string): Promise<repo.TenantRecord> {
    const tenant = await repo.findTenant(this.db, tenantId);
    if (!tenant) throw new NudgeError("tenantNotFound");
    return tenant;
  }

  async isEmpty(): Promise<boolean> {
    return (await repo.countTenants(this.db)) === 0;
  }

  async createApp(
    tenantId: string,
    input: { name: string; webhookUrl?: unknown; rootDomain?: unknown },
  ): Promise<{ app: repo.AppRecord; secret: string }> {
    await this.requireTenant(tenantId);
    const webhook = checkAppWebhook(input);
    const app: repo.AppRecord = {
      id: randomUUID(),
      tenantId,
      clientId: randomUUID(),
      name: input.name,
      webhookUrl: webhook.webhookUrl,
      rootDomain: webhook.rootDomain,
      createdAt: this.clock.now(),
    };
    const secret = newSecret("nsec");
    await repo.insertApp(this.db, app, hashSecret(secret));
    return { app, secret };
  }

  findApp(tenantId: string, appIdOrClientId: string): Promise<repo.AppRecord | undefined> {
    return repo.findApp(this.db, tenantId, appIdOrClientId);
  }

  async createUser(tenantId: string, name: string): Promise<repo.UserRecord> {
    await this.requireTenant(tenantId);
    const user = { id: randomUUID(), tenantId, name, createdAt: this.clock.now() };
    await repo.insertUser(this.db, user);
    return user;
  }

  /** Issues a bearer token for an app acting for a user. The token is returned once, never stored. */
  async issueToken(
    tenantId: string,
    appIdOrClientId: string,
    userId: string,
    scopes: string[],
  ): Promise<string> {
    const app = await repo.findApp(this.db, tenantId, appIdOrClientId);
    if (!app) throw new NudgeError("appNotFound");
    const user = await repo.findUser(this.db, tenantId, userId);
    if (!user) throw new NudgeError("userNotFound");
    const token = newSecret("nudge");
    await repo.insertToken(
      this.db,
      { id: randomUUID(), tenantId, appId: app.id, userId, scopes },
      hashSecret(token),
      this.clock.now(),
    );
    return token;
  }

  async authenticate(bearer: string | undefined): Promise<Principal> {
    if (!bearer) throw new NudgeError("unauthenticated");
    const token = await repo.findTokenByHash(this.db, hashSecret(bearer));
    if (!token) throw new NudgeError("unauthenticated", "The bearer token is not valid.");
    return { tenantId: token.tenantId, appId: token.appId, userId: token.userId, scopes: token.scopes };
  }

  /** Lets another user of the same tenant see (and subscribe to) a resource. Only the owner may. */
  async grant(tenantId: string, resourceId: string, userId: string): Promise<void> {
    const user = await repo.findUser(this.db, tenantId, userId);
    if (!user) throw new NudgeError("userNotFound");
    const resource = await findVisibleResource(this.db, tenantId, userId, resourceId);
    if (resource) return;
    const exists = await findResourceById(this.db, resourceId);
    if (!exists || exists.tenantId !== tenantId) throw new NudgeError("resourceNotFound");
    await insertGrant(this.db, resourceId, userId, this.clock.now());
  }

  private async requireTenant(tenantId: string): Promise<void> {
    if (!(await repo.findTenant(this.db, tenantId))) throw new NudgeError("tenantNotFound");
  }
}
