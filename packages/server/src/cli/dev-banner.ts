/**
 * What dev mode prints on stdout (not through the logger, which never carries a secret): the demo
 * credentials and a command to paste, so a first subscription is a minute away.
 */
import type { DemoCredentials } from "../identity/demo.js";

export function demoBanner(
  url: string,
  demo: DemoCredentials,
  credentialsFile: string | null,
  /** Over HTTPS, the certificate curl must trust. */
  certFile?: string,
): string {
  const alice = demo.users.alice;
  const bob = demo.users.bob;
  const lines = [
    "",
    "Dev mode: this empty database was seeded with a demo tenant.",
    `  tenant id        ${demo.tenantId}`,
    `  app client id    ${demo.app.clientId}`,
    `  app secret       ${demo.app.secret}`,
    `  alice            id ${alice.id}`,
    `                   token ${alice.token}`,
    `  bob              id ${bob.id}`,
    `                   token ${bob.token}`,
    ...(demo.adminToken ? [`  admin token      ${demo.adminToken}`] : []),
    ...(credentialsFile ? [`  (also written to ${credentialsFile})`] : []),
    "",
    "Try it (create a SharePoint list as alice):",
    `  curl -s -X POST ${url}/_api/web/lists${certFile ? ` --cacert ${certFile}` : ""} \\`,
    `    -H 'Authorization: Bearer ${alice.token}' \\`,
    `    -H 'Content-Type: application/json' \\`,
    `    -d '{"Title":"Tasks","BaseTemplate":100}'`,
    "",
  ];
  return lines.join("\n") + "\n";
}

/** Printed when dev mode generated an admin token but found an existing database (no demo seeded). */
export function adminTokenBanner(adminToken: string): string {
  return (
    [
      "",
      "Dev mode: no admin token was configured, so one was generated for this run:",
      `  admin token      ${adminToken}`,
      "  (set NUDGE_ADMIN_TOKEN to choose your own)",
      "",
    ].join("\n") + "\n"
  );
}
