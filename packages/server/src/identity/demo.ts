/**
 * Dev mode's demo data: on an empty database, a tenant, an app and two users (alice, bob) with
 * tokens, so a subscription can be made within a minute of starting.
 */
import type { IdentityService } from "./service.js";

export interface DemoCredentials {
  tenantId: string;
  adminToken?: string;
  app: { clientId: string; secret: string };
  users: Record<"alice" | "bob", { id: string; token: string }>;
}

export const DEMO_SCOPES = ["Sites.ReadWrite.All", "Files.ReadWrite", "Notes.ReadWrite", "nudge"];

export async function seedDemo(identity: IdentityService): Promise<DemoCredentials> {
  const tenant = await identity.createTenant("Contoso (demo)");
  const { app, secret } = await identity.createApp(tenant.id, { name: "Demo app" });
  const users = {} as DemoCredentials["users"];
  for (const name of ["alice", "bob"] as const) {
    const user = await identity.createUser(tenant.id, name);
    users[name] = { id: user.id, token: await identity.issueToken(tenant.id, app.id, user.id, DEMO_SCOPES) };
  }
  return { tenantId: tenant.id, app: { clientId: app.clientId, secret }, users };
}
