/**
 * `nudge serve` over HTTPS, as a user runs it: a self-signed certificate made once, kept next to
 * the database and printed so a client can trust it, or a certificate and key the user gives; and
 * the refusals when the TLS settings cannot work.
 */
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";
import { Agent, request } from "undici";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "@nudge/test-support";
import { runCli, ServeProcess } from "./process.js";

describe("nudge serve over HTTPS", () => {
  let dir: string;
  let servers: ServeProcess[];
  let agents: Agent[];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nudge-tls-"));
    servers = [];
    agents = [];
  });
  afterEach(async () => {
    for (const server of servers) await server.kill("SIGKILL");
    for (const agent of agents) await agent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function serve(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
    const server = await ServeProcess.start(["--port", "0", "--log-level", "warn", ...args], env);
    servers.push(server);
    return server;
  }

  /** GET with only `ca` trusted (not the system store), so passing proves the certificate is Nudge's. */
  async function getTrusting(ca: string, url: string): Promise<number> {
    const agent = new Agent({ connect: { ca } });
    agents.push(agent);
    const response = await request(url, { dispatcher: agent });
    await response.body.dump();
    return response.statusCode;
  }

  const certPathIn = (stdout: string) => /^ {2}certificate {6}(\S+)$/m.exec(stdout)?.[1];

  it("with --tls-self-signed listens on https, prints the certificate path, and serves /health to a client trusting it", async () => {
    const server = await serve(["--tls-self-signed", "--db", join(dir, "nudge.db")]);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    await expectEventually(() => certPathIn(server.stdout) !== undefined);
    const certFile = certPathIn(server.stdout)!;
    expect(certFile).toBe(join(dir, "tls", "nudge-localhost.crt"));
    expect(server.stdout).toContain(`NODE_EXTRA_CA_CERTS=${certFile}`);
    const port = new URL(server.url!).port;
    const ca = readFileSync(certFile, "utf8");
    expect(await getTrusting(ca, `${server.url}/health`)).toBe(200);
    expect(await getTrusting(ca, `https://localhost:${port}/health`)).toBe(200);
  });

  it("makes the self-signed certificate for localhost, 127.0.0.1 and ::1, with a private key only its owner reads", async () => {
    await serve(["--tls-self-signed", "--db", join(dir, "nudge.db")]);
    const certificate = new X509Certificate(readFileSync(join(dir, "tls", "nudge-localhost.crt")));
    expect(certificate.subjectAltName).toBe(
      "DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(Date.parse(certificate.validTo) - Date.now()).toBeGreaterThan(300 * 86_400_000);
    expect(statSync(join(dir, "tls", "nudge-localhost.key")).mode & 0o777).toBe(0o600);
  });

  it("in dev mode prints a curl example that trusts the certificate", async () => {
    const server = await serve([
      "--dev",
      "--tls-self-signed",
      "--db",
      join(dir, "nudge.db"),
      "--credentials-out",
      join(dir, "credentials.json"),
    ]);
    await expectEventually(() => server.stdout.includes("curl -s -X POST"));
    const certFile = join(dir, "tls", "nudge-localhost.crt");
    expect(server.stdout).toContain(`curl -s -X POST ${server.url}/_api/web/lists --cacert ${certFile}`);
  });

  it("refuses plain http on the https port", async () => {
    const server = await serve(["--tls-self-signed", "--db", join(dir, "nudge.db")]);
    const plain = await fetch(`${server.url!.replace("https:", "http:")}/health`).then(
      (r) => r.status,
      () => "refused",
    );
    expect(plain === "refused" || plain === 400).toBe(true);
  });

  it("keeps the self-signed certificate across restarts, so a client trusts it once", async () => {
    const db = join(dir, "nudge.db");
    const first = await serve(["--tls-self-signed", "--db", db]);
    const certFile = join(dir, "tls", "nudge-localhost.crt");
    await expectEventually(() => existsSync(certFile));
    const before = readFileSync(certFile, "utf8");
    await first.kill("SIGTERM");
    const second = await serve(["--tls-self-signed", "--db", db]);
    expect(readFileSync(certFile, "utf8")).toBe(before);
    expect(await getTrusting(before, `${second.url}/health`)).toBe(200);
  });

  it("is also switched on by NUDGE_TLS_SELF_SIGNED", async () => {
    const server = await serve(["--db", join(dir, "nudge.db")], { NUDGE_TLS_SELF_SIGNED: "true" });
    expect(server.url).toMatch(/^https:/);
  });

  it("serves a certificate and key given with --tls-cert and --tls-key", async () => {
    const pems = await generate([{ name: "commonName", value: "localhost" }], {
      keyType: "ec",
      algorithm: "sha256",
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    writeFileSync(join(dir, "given.crt"), pems.cert);
    writeFileSync(join(dir, "given.key"), pems.private);
    const server = await serve([
      "--db",
      join(dir, "nudge.db"),
      "--tls-cert",
      join(dir, "given.crt"),
      "--tls-key",
      join(dir, "given.key"),
    ]);
    expect(server.url).toMatch(/^https:/);
    expect(await getTrusting(pems.cert, `${server.url}/health`)).toBe(200);
    expect(server.stdout).toContain(`HTTPS certificate: ${join(dir, "given.crt")}`);
    expect(existsSync(join(dir, "tls"))).toBe(false);
  });

  it("exits 2 naming server.tls when a certificate comes without its key", async () => {
    const result = await runCli(["serve", "--db", join(dir, "nudge.db"), "--tls-cert", join(dir, "x.crt")]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("server.tls: certFile and keyFile must be given together");
  });

  it("exits 2 when both a certificate and --tls-self-signed are asked for", async () => {
    const result = await runCli(["serve", "--db", join(dir, "nudge.db"), "--tls-self-signed"], {
      env: { NUDGE_TLS_CERT: join(dir, "x.crt"), NUDGE_TLS_KEY: join(dir, "x.key") },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("server.tls: give either certFile and keyFile or selfSigned, not both");
  });

  it("exits 1 naming the file when the certificate cannot be read, before creating the database", async () => {
    const result = await runCli([
      "serve",
      "--db",
      join(dir, "nudge.db"),
      "--tls-cert",
      join(dir, "missing.crt"),
      "--tls-key",
      join(dir, "missing.key"),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `cannot serve HTTPS: cannot read the TLS certificate ${join(dir, "missing.crt")}`,
    );
    expect(existsSync(join(dir, "nudge.db"))).toBe(false);
  });

  it("exits 1 when the key does not belong to the certificate", async () => {
    const one = await generate([{ name: "commonName", value: "localhost" }], { keyType: "ec" });
    const other = await generate([{ name: "commonName", value: "localhost" }], { keyType: "ec" });
    writeFileSync(join(dir, "one.crt"), one.cert);
    writeFileSync(join(dir, "other.key"), other.private);
    const result = await runCli([
      "serve",
      "--db",
      join(dir, "nudge.db"),
      "--tls-cert",
      join(dir, "one.crt"),
      "--tls-key",
      join(dir, "other.key"),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /cannot serve HTTPS: TLS certificate .*one\.crt and key .*other\.key cannot be used together/,
    );
  });
});

/** The child's output is real I/O with no event of its own here: poll it (see waitFor in @nudge/test-support). */
async function expectEventually(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  await waitFor(condition, { timeoutMs, intervalMs: 20, what: "the child's output" });
}
