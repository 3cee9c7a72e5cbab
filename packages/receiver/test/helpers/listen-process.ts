/**
 * `nudge listen` from source in a child process. `nudge-source` makes @nudge/receiver resolve to
 * its TypeScript sources, so the test needs no build (see packages/receiver/package.json exports).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { waitFor } from "@nudge/test-support";

const MAIN = fileURLToPath(new URL("../../../server/src/cli/main.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export class ListenProcess {
  stdout = "";
  stderr = "";
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on("data", (chunk: Buffer) => (this.stdout += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  }

  static start(args: string[]): ListenProcess {
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("NUDGE_")));
    return new ListenProcess(
      spawn(process.execPath, ["--conditions=nudge-source", "--import", TSX, MAIN, "listen", ...args], {
        env,
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
  }

  async waitFor(pattern: RegExp): Promise<RegExpExecArray> {
    try {
      await waitFor(() => pattern.test(this.stdout), { timeoutMs: 20_000 });
    } catch {
      throw new Error(`no ${pattern} in the output of nudge listen:\n${this.stdout}\n${this.stderr}`);
    }
    return pattern.exec(this.stdout)!;
  }

  async stop(signal: NodeJS.Signals = "SIGINT") {
    this.child.kill(signal);
    return this.exited;
  }
}
