/**
 * More people than the demo's alice and bob, made through the admin API of a running test node:
 * another user of the demo tenant, or a user of a tenant of their own.
 */
import type { TestNudge } from "@nudge/test-support";

export interface TestUser {
  id: string;
  tenantId: string;
  /** Authorization headers with the user's bearer token. */
  auth: Record<string, string>;
}

async function admin(t: TestNudge, path: string, body: unknown): Promise<Record<string, string>> {
  const response = await fetch(`${t.url}/admin${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${t.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`admin ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, string>;
}

/** A user of the demo tenant, with a token of the demo app. */
export async function addUser(t: TestNudge, name: string): Promise<TestUser> {
  const user = await admin(t, `/tenants/${t.demo.tenantId}/users`, { name });
  const { token } = await admin(t, `/tenants/${t.demo.tenantId}/tokens`, {
    app: t.demo.app.clientId,
    userId: user.id,
  });
  return { id: user.id!, tenantId: t.demo.tenantId, auth: { authorization: `Bearer ${token}` } };
}

/** A user of a new tenant, with a token of a new app of that tenant. */
export async function addUserOfAnotherTenant(t: TestNudge, name: string): Promise<TestUser> {
  const tenant = await admin(t, "/tenants", { name: `${name}'s tenant` });
  const app = await admin(t, `/tenants/${tenant.id}/apps`, { name: `${name}'s app` });
  const user = await admin(t, `/tenants/${tenant.id}/users`, { name });
  const { token } = await admin(t, `/tenants/${tenant.id}/tokens`, { app: app.id, userId: user.id });
  return { id: user.id!, tenantId: tenant.id!, auth: { authorization: `Bearer ${token}` } };
}
