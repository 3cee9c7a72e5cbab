/**
 * Exit codes of the `nudge` command, and the error that carries one: 0 ok, 1 a runtime failure
 * (server unreachable, database missing, request refused), 2 a usage or configuration error.
 */
import { CommanderError } from "commander";
import { ConfigError } from "../config/load.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/** A mistake in how the command was called: exit code 2. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT_USAGE);
}

/**
 * Prints an error the way a person can act on it and returns the exit code. Commander has
 * already printed its own messages (unknown option, missing argument), so only the code is mapped.
 */
export function reportError(error: unknown, write: (text: string) => void): number {
  if (error instanceof CommanderError) {
    // Help and --version "fail" with code 0; every other Commander error is a usage error.
    return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    write(`nudge: ${error.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof CliError) {
    write(`nudge: ${error.message}\n`);
    return error.exitCode;
  }
  write(`nudge: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_FAILURE;
}
