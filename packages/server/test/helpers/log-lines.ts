/** A pino logger whose lines a test can read, parsed (as no-secrets.test.ts captures them). */
import { Writable } from "node:stream";
import pino, { type Logger } from "pino";

export interface CapturedLog {
  logger: Logger;
  lines: Array<{ level: number; msg: string } & Record<string, unknown>>;
}

export function captureLog(level: pino.LevelWithSilent = "info"): CapturedLog {
  const lines: CapturedLog["lines"] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

/** pino's number for `warn`. */
export const WARN = 40;
