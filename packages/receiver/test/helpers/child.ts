/** Runs test/fixtures/receiver-process.ts in a child process (node --import tsx) and reads what it prints. */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { waitFor } from "@nudge/test-support";
import type { ReceiverProcessConfig } from "../fixtures/receiver-process.js";

const SCRIPT = fileURLToPath(new URL("../fixtures/receiver-process.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export class ReceiverProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<NodeJS.Signals | number | null>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.on("close", (code, signal) => resolve(signal ?? code)));
  }

  static async start(config: ReceiverProcessConfig): Promise<ReceiverProcess> {
    const child = spawn(process.execPath, ["--import", TSX, SCRIPT, JSON.stringify(config)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const receiver = new ReceiverProcess(child);
    await waitFor(() => receiver.port !== null, {
      timeoutMs: 20_000,
      what: `the receiver process (${receiver.stderr})`,
    });
    return receiver;
  }

  get port(): number | null {
    const match = /^listening (\d+)$/m.exec(this.stdout);
    return match ? Number(match[1]) : null;
  }

  /** The changes of each callback call, in the order the calls started. */
  get calls(): Array<Array<Record<string, unknown>>> {
    return [...this.stdout.matchAll(/^callback (.*)$/gm)].map(
      (m) => JSON.parse(m[1]!) as Array<Record<string, unknown>>,
    );
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    this.child.kill(signal);
    await this.exited;
  }
}
