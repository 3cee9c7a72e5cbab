/**
 * The self-signed pair kept next to the database (http/tls.ts): reused while it is good, made
 * anew when it is about to lapse, damaged, or not for localhost.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generate } from "selfsigned";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ensureSelfSigned, selfSignedFolder } from "../../src/http/tls.js";

describe("the kept self-signed certificate", () => {
  let dir: string;
  let folder: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nudge-tls-files-"));
    folder = join(dir, "tls");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function keep(options: { days: number; name: string }): Promise<string> {
    const pems = await generate([{ name: "commonName", value: options.name }], {
      keyType: "ec",
      notAfterDate: new Date(Date.now() + options.days * 86_400_000),
      extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: options.name }] }],
    });
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "nudge-localhost.crt"), pems.cert);
    writeFileSync(join(folder, "nudge-localhost.key"), pems.private);
    return pems.cert;
  }

  it("lives in a tls folder next to the database", () => {
    expect(selfSignedFolder(join(dir, "data", "nudge.db"))).toBe(join(dir, "data", "tls"));
  });

  it("is reused while it has more than a week left", async () => {
    const kept = await keep({ days: 30, name: "localhost" });
    const tls = await ensureSelfSigned(folder);
    expect(tls.cert).toBe(kept);
    expect(tls.selfSigned).toBe(true);
  });

  it("is made anew when it has less than a week left", async () => {
    const kept = await keep({ days: 3, name: "localhost" });
    const tls = await ensureSelfSigned(folder);
    expect(tls.cert).not.toBe(kept);
    expect(readFileSync(tls.certFile, "utf8")).toBe(tls.cert);
  });

  it("is made anew when it does not name localhost", async () => {
    const kept = await keep({ days: 300, name: "example.test" });
    expect((await ensureSelfSigned(folder)).cert).not.toBe(kept);
  });

  it("is made anew when the files are damaged or the key is not the certificate's", async () => {
    await keep({ days: 300, name: "localhost" });
    writeFileSync(join(folder, "nudge-localhost.crt"), "not a certificate");
    const remade = await ensureSelfSigned(folder);
    expect(remade.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);

    const other = await generate([{ name: "commonName", value: "localhost" }], { keyType: "ec" });
    writeFileSync(join(folder, "nudge-localhost.key"), other.private);
    const again = await ensureSelfSigned(folder);
    expect(again.cert).not.toBe(remade.cert);
    expect(again.key).not.toBe(other.private);
  });
});
