/**
 * The certificate and key HTTPS serves with: read from the configured PEM files, or (selfSigned)
 * a pair for localhost, 127.0.0.1 and ::1 made at the first start and kept in a `tls` folder next
 * to the database, so a client that was told to trust it keeps working after a restart.
 *
 * Why HTTPS at all: the Graph JS client sends its bearer token only to https:// hosts, and the
 * absolute links it follows (nextLink, deltaLink) must keep the scheme it called.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { createSecureContext } from "node:tls";
import { generate } from "selfsigned";
import type { Config } from "../config/defaults.js";

export interface TlsMaterial {
  key: string;
  cert: string;
  /** Where the certificate is, for a client to trust (NODE_EXTRA_CA_CERTS, curl --cacert). */
  certFile: string;
  /** Made by Nudge (true) or given by the operator (false). */
  selfSigned: boolean;
}

/** The TLS setting cannot be served (a file is missing, the key does not fit the certificate). */
export class TlsError extends Error {
  override name = "TlsError";
}

export const SELF_SIGNED_NAMES = ["localhost", "127.0.0.1", "::1"] as const;
const CERT_NAME = "nudge-localhost.crt";
const KEY_NAME = "nudge-localhost.key";
const DAY_MS = 86_400_000;
const VALID_DAYS = 365;
/** A kept certificate is made anew when it has less than this left, so it never lapses mid-session. */
const RENEW_BEFORE_MS = 7 * DAY_MS;

/** What the configuration asks for: nothing (plain HTTP), a given pair, or a self-signed pair. */
export async function loadTls(config: Readonly<Config>): Promise<TlsMaterial | null> {
  const { certFile, keyFile, selfSigned } = config.server.tls;
  if (certFile !== null && keyFile !== null) return readGivenPair(certFile, keyFile);
  if (selfSigned) return ensureSelfSigned(selfSignedFolder(config.database.url));
  return null;
}

function readGivenPair(certFile: string, keyFile: string): TlsMaterial {
  const cert = readPem(certFile, "certificate");
  const key = readPem(keyFile, "key");
  try {
    // Fails here, with the file names, rather than later inside Fastify with neither.
    createSecureContext({ cert, key });
  } catch (error) {
    throw new TlsError(
      `TLS certificate ${certFile} and key ${keyFile} cannot be used together: ${(error as Error).message}`,
    );
  }
  return { cert, key, certFile: resolve(certFile), selfSigned: false };
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new TlsError(`cannot read the TLS ${what} ${file}: ${(error as Error).message}`);
  }
}

/**
 * Next to the database. An in-memory database has no folder, nor has PostgreSQL (whose nodes
 * would each make their own certificate anyway): a fresh temporary one is used.
 */
export function selfSignedFolder(databaseUrl: string): string {
  if (databaseUrl === ":memory:" || /^postgres(ql)?:\/\//i.test(databaseUrl))
    return mkdtempSync(join(tmpdir(), "nudge-tls-"));
  return join(dirname(resolve(databaseUrl)), "tls");
}

/** The kept pair if it is still good for a week, else a new one (written before it is used). */
export async function ensureSelfSigned(folder: string): Promise<TlsMaterial> {
  const certFile = join(folder, CERT_NAME);
  const keyFile = join(folder, KEY_NAME);
  const kept = readKeptPair(certFile, keyFile);
  if (kept) return kept;
  // Validity is real time, not the injected clock: the client checking it lives in real time.
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + VALID_DAYS * DAY_MS),
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
          { type: 7, ip: "::1" },
        ],
      },
    ],
  });
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, pems.private, { mode: 0o600 });
  // writeFileSync's mode applies only to new files; a replaced key must not stay readable.
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, certFile, selfSigned: true };
}

function readKeptPair(certFile: string, keyFile: string): TlsMaterial | null {
  if (!existsSync(certFile) || !existsSync(keyFile)) return null;
  try {
    const cert = readFileSync(certFile, "utf8");
    const key = readFileSync(keyFile, "utf8");
    const x509 = new X509Certificate(cert);
    const fresh = Date.parse(x509.validTo) - Date.now() > RENEW_BEFORE_MS;
    const names = x509.subjectAltName ?? "";
    if (!fresh || !names.includes("DNS:localhost") || !x509.checkPrivateKey(createPrivateKey(key))) {
      return null;
    }
    return { cert, key, certFile, selfSigned: true };
  } catch {
    // Unreadable or damaged files are replaced, as if they were not there.
    return null;
  }
}
