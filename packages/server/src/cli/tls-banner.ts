/**
 * What `nudge serve` prints when it serves HTTPS: where the certificate is and how a client trusts
 * it. A self-signed certificate is useless until a client is told to trust it, so this is printed
 * whatever the log level.
 */
import { SELF_SIGNED_NAMES, type TlsMaterial } from "../http/tls.js";

export function tlsBanner(tls: TlsMaterial, url: string): string {
  if (!tls.selfSigned) return `HTTPS certificate: ${tls.certFile}\n`;
  const localhostUrl = url.replace(/^https:\/\/(127\.0\.0\.1|\[::1\])/, "https://localhost");
  return (
    [
      `HTTPS with a self-signed certificate for ${SELF_SIGNED_NAMES.join(", ")}:`,
      `  certificate      ${tls.certFile}`,
      `  Node clients     NODE_EXTRA_CA_CERTS=${tls.certFile}`,
      `  curl             curl --cacert ${tls.certFile} ${localhostUrl}/health`,
      `  Graph client     Client.init({ baseUrl: "${localhostUrl}", customHosts: new Set(["localhost"]), ... })`,
      "",
    ].join("\n") + "\n"
  );
}
