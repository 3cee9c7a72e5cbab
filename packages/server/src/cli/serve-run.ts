/**
 * Runs `nudge serve`: one Nudge node (HTTP API and delivery dispatcher, or one of them) on a SQLite
 * file or a PostgreSQL database, until SIGINT or SIGTERM, which stop it gracefully (in-flight
 * deliveries finish or are released).
 */
import { TlsError } from "../http/tls.js";
import { Nudge } from "../nudge.js";
import { redactUrl } from "../store/postgres.js";
import { adminTokenBanner, demoBanner } from "./dev-banner.js";
import { CliError } from "./exit.js";
import { loadServeConfig, withDevAdminToken, type ServeFlags } from "./serve-config.js";
import { tlsBanner } from "./tls-banner.js";

export async function serve(flags: ServeFlags): Promise<void> {
  const { config, generated } = withDevAdminToken(loadServeConfig(flags));
  let nudge: Nudge;
  try {
    nudge = await Nudge.open({ config });
  } catch (error) {
    if (error instanceof TlsError) throw new CliError(`cannot serve HTTPS: ${error.message}`);
    throw new CliError(`cannot open database ${redactUrl(config.database.url)}: ${(error as Error).message}`);
  }
  let url: string;
  try {
    url = await nudge.start();
  } catch (error) {
    await nudge.stop().catch(() => undefined);
    throw new CliError(`cannot start: ${(error as Error).message}`);
  }
  stopOnSignals(nudge);
  nudge.logger.info(
    { url, database: redactUrl(config.database.url), role: config.server.role, dev: config.server.dev },
    "listening",
  );
  // A plain line on stdout whatever the log level, for people and for scripts that started on port 0.
  process.stdout.write(`Nudge listening on ${url}\n`);
  if (nudge.tls) process.stdout.write(tlsBanner(nudge.tls, url));
  if (nudge.demo) {
    process.stdout.write(demoBanner(url, nudge.demo, config.server.credentialsOut, nudge.tls?.certFile));
  } else {
    if (generated) process.stdout.write(adminTokenBanner(config.adminToken!));
    if (config.server.dev && config.server.credentialsOut) {
      process.stderr.write(
        `nudge: the database already has tenants, so no demo was seeded and ${config.server.credentialsOut} was not written\n`,
      );
    }
  }
  if (!config.server.dev && config.server.credentialsOut) {
    process.stderr.write("nudge: --credentials-out has no effect without --dev\n");
  }
}

/** The first signal stops gracefully (exit 0); a second one, while stopping, exits at once (exit 1). */
function stopOnSignals(nudge: Nudge): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      nudge.logger.warn({ signal }, "second signal while stopping: exiting now");
      process.exit(1);
    }
    stopping = true;
    nudge.logger.info({ signal }, "stopping");
    nudge.stop().then(
      () => {
        nudge.logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        nudge.logger.error({ err: error }, "graceful stop failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
