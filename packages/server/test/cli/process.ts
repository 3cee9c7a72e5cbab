/**
 * Runs the `nudge` command from source in a real child process (node --import tsx), as a user
 * would run the built one: `runCli` for commands that finish, `startServe` for a server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { waitFor } from "@nudge/test-support";

const MAIN = fileURLToPath(new URL("../../src/cli/main.ts", import.meta.url));
// Resolved here, so the child finds tsx whatever its working directory.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment a child gets: this one without NUDGE_* settings, plus what the test gives. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("NUDGE_")) env[key] = value;
  }
  return { ...env, ...extra };
}

function spawnCli(args: string[], env: Record<string, string>, cwd?: string): ChildProcess {
  return spawn(process.execPath, ["--import", TSX, MAIN, ...args], {
    env: childEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
    ...(cwd && { cwd }),
  });
}

export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawnCli(args, options.env ?? {}, options.cwd);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  // Not a wait: a guard that kills a hung child, so the test fails instead of hanging.
  // eslint-disable-next-line no-restricted-syntax -- see above
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** A `nudge serve` child process, with its output and the URL it printed. */
export class ServeProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  #exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.on("close", (code, signal) => {
        this.#exit = { code, signal };
        resolve(this.#exit);
      }),
    );
  }

  /** Starts `nudge serve` with the given flags and waits for its "Nudge listening on URL" line. */
  static async start(args: string[], env: Record<string, string> = {}): Promise<ServeProcess> {
    const serve = new ServeProcess(spawnCli(["serve", ...args], env));
    await waitFor(() => serve.url !== null || serve.#exit !== null, {
      timeoutMs: 20_000,
      what: "nudge serve to listen",
    });
    if (serve.url === null) {
      throw new Error(
        `nudge serve exited (${JSON.stringify(serve.#exit)}):\n${serve.stdout}\n${serve.stderr}`,
      );
    }
    return serve;
  }

  get url(): string | null {
    return /^Nudge listening on (https?:\/\/\S+)$/m.exec(this.stdout)?.[1] ?? null;
  }

  get baseUrl(): string {
    return this.url!;
  }

  /** Sends a signal and waits for the process to end. */
  async kill(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.#exit) return this.#exit;
    this.child.kill(signal);
    return this.exited;
  }
}

export interface DemoFile {
  tenantId: string;
  adminToken: string;
  app: { clientId: string; secret: string };
  users: Record<"alice" | "bob", { id: string; token: string }>;
}

/** `nudge serve --dev` on port 0 with a credentials file; returns the server and what it wrote. */
export async function startDevServe(
  dbPath: string,
  credentialsPath: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<{ server: ServeProcess; demo: DemoFile }> {
  const server = await ServeProcess.start(
    [
      "--dev",
      "--port",
      "0",
      "--log-level",
      "warn",
      "--db",
      dbPath,
      "--credentials-out",
      credentialsPath,
      ...args,
    ],
    env,
  );
  const demo = JSON.parse(readFileSync(credentialsPath, "utf8")) as DemoFile;
  return { server, demo };
}
