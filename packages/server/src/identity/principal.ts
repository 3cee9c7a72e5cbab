/** Who is calling: an app acting for a user in a tenant, with scopes. */
export interface Principal {
  tenantId: string;
  appId: string;
  userId: string;
  scopes: string[];
}
