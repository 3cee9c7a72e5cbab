/** Resources (SharePoint lists, external resources …) and the sites that hold lists. */
import { randomUUID } from "node:crypto";
import type { ServiceContext } from "../context.js";
import { NudgeError } from "../errors.js";
import type { Principal } from "../identity/principal.js";
import { findUser } from "../store/repositories/identity.js";
import * as repo from "../store/repositories/resources.js";

export type { ResourceRecord, SiteRecord } from "../store/repositories/resources.js";

export type ResourceKind = "sharepoint-list" | "drive" | "notebook" | "external";

export class ResourceService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * The site at a path (`/` or `/sites/{name}`), made on first use. Only a write that needs a
   * site (creating a list) calls this: reads find a site with `findSite` and make nothing.
   */
  async ensureSite(tenantId: string, path: string): Promise<repo.SiteRecord> {
    const existing = await repo.findSite(this.ctx.db, tenantId, path);
    if (existing) return existing;
    await repo.insertSite(this.ctx.db, { id: randomUUID(), tenantId, path }, this.ctx.clock.now());
    return (await repo.findSite(this.ctx.db, tenantId, path))!;
  }

  /** The site at a path, if one was made; the root site (`/`) always exists, as in a tenant. */
  async findSite(tenantId: string, path: string): Promise<repo.SiteRecord | undefined> {
    if (path === "/") return this.ensureSite(tenantId, path);
    return repo.findSite(this.ctx.db, tenantId, path);
  }

  siteById(id: string): Promise<repo.SiteRecord | undefined> {
    return repo.findSiteById(this.ctx.db, id);
  }

  async create(
    principal: Principal,
    input: { kind: ResourceKind; title: string; siteId?: string | null; template?: number | null },
  ): Promise<repo.ResourceRecord> {
    if (input.kind === "sharepoint-list" && input.siteId) {
      const clash = await repo.listVisibleResources(this.ctx.db, {
        tenantId: principal.tenantId,
        userId: principal.userId,
        kind: input.kind,
        siteId: input.siteId,
        title: input.title,
      });
      if (clash.some((r) => r.ownerId === principal.userId)) {
        throw new NudgeError(
          "listAlreadyExists",
          `A list, survey, discussion board, or document library with the specified title '${input.title}' already exists in this Web site.`,
        );
      }
    }
    const now = this.ctx.clock.now();
    const resource: repo.ResourceRecord = {
      id: randomUUID(),
      tenantId: principal.tenantId,
      ownerId: principal.userId,
      kind: input.kind,
      siteId: input.siteId ?? null,
      title: input.title,
      template: input.template ?? null,
      createdAt: now,
      modifiedAt: now,
    };
    await repo.insertResource(this.ctx.db, resource);
    return resource;
  }

  /**
   * The caller's own container of a kind (their drive, their notebooks), made on first use: every
   * user has exactly one, as every Microsoft account has one OneDrive.
   */
  async ensureOwn(principal: Principal, kind: "drive" | "notebook"): Promise<repo.ResourceRecord> {
    const findOwn = async () =>
      (await this.list(principal, { kind })).find((r) => r.ownerId === principal.userId);
    const own = await findOwn();
    if (own) return own;
    try {
      return await this.create(principal, { kind, title: kind === "drive" ? "OneDrive" : "Notebooks" });
    } catch (error) {
      // A concurrent first call won the race (the unique index allows one container per user).
      const winner = await findOwn();
      if (winner) return winner;
      throw error;
    }
  }

  /** Another user's container of a kind, if the caller may see it (owner or granted). */
  async containerOf(
    principal: Principal,
    userId: string,
    kind: "drive" | "notebook",
  ): Promise<repo.ResourceRecord> {
    if (userId === principal.userId) return this.ensureOwn(principal, kind);
    const visible = await this.list(principal, { kind });
    const theirs = visible.find((r) => r.ownerId === userId);
    if (!theirs) throw new NudgeError("resourceNotFound");
    return theirs;
  }

  /** The owner shares a resource with another user of the tenant. Only the owner may. */
  async share(principal: Principal, resourceId: string, userId: string): Promise<void> {
    const resource = await this.get(principal, resourceId);
    if (resource.ownerId !== principal.userId) {
      throw new NudgeError("forbidden", "Only the owner of a resource may share it.");
    }
    if (userId === principal.userId) return;
    const user = await findUser(this.ctx.db, principal.tenantId, userId);
    if (!user) throw new NudgeError("userNotFound");
    await repo.insertGrant(this.ctx.db, resource.id, userId, this.ctx.clock.now());
  }

  /** A resource the caller may see; anything else is "not found", so nothing leaks. */
  async get(principal: Principal, id: string, kind?: ResourceKind): Promise<repo.ResourceRecord> {
    const resource = await repo.findVisibleResource(this.ctx.db, principal.tenantId, principal.userId, id);
    if (!resource || (kind && resource.kind !== kind)) throw new NudgeError("resourceNotFound");
    return resource;
  }

  /** Several resources by id, in the order asked; the first one not visible is a resourceNotFound. */
  async getMany(principal: Principal, ids: readonly string[]): Promise<repo.ResourceRecord[]> {
    const distinct = [...new Set(ids)];
    const found = await repo.findVisibleResources(
      this.ctx.db,
      principal.tenantId,
      principal.userId,
      distinct,
    );
    const byId = new Map(found.map((r) => [r.id, r]));
    return distinct.map((id) => {
      const resource = byId.get(id);
      if (!resource) throw new NudgeError("resourceNotFound", `Resource ${id} does not exist.`);
      return resource;
    });
  }

  async getByTitle(
    principal: Principal,
    siteId: string,
    title: string,
    kind: ResourceKind,
  ): Promise<repo.ResourceRecord> {
    const [resource] = await repo.listVisibleResources(this.ctx.db, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      kind,
      siteId,
      title,
    });
    if (!resource) throw new NudgeError("resourceNotFound", `List '${title}' does not exist at site.`);
    return resource;
  }

  list(
    principal: Principal,
    filter: { kind?: ResourceKind; siteId?: string } = {},
  ): Promise<repo.ResourceRecord[]> {
    return repo.listVisibleResources(this.ctx.db, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      ...filter,
    });
  }
}
