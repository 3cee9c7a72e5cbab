/**
 * Runs `nudge listen`: a receiver on a local port, a subscription kept by the SDK's keeper (or, on
 * app-level surfaces, the user registered by an API call), one line per notification and per
 * change, until SIGINT or SIGTERM; then the subscription is deleted and the command exits 0.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  apiRootOf,
  createReceiver,
  feedKeyOf,
  FileTokenStore,
  HttpError,
  isAppLevel,
  keepSubscription,
  MemoryTokenStore,
  type ChangeBatch,
  type FeedTarget,
  type SubscriptionKeeper,
  type SurfaceName,
} from "@nudge/receiver";
import { request } from "undici";
import { CliError, usageError } from "./exit.js";
import type { ListenFlags } from "./listen-flags.js";

const print = (line: string) => process.stdout.write(`${line}\n`);

export async function listen(flags: ListenFlags): Promise<void> {
  const surface = flags.surface as SurfaceName;
  const token = flags.token;
  if (!token) throw usageError("no token: pass --token or set NUDGE_TOKEN");
  if ((surface === "native" || surface === "sharepoint") && !flags.resource) {
    throw usageError(`--resource is required for --surface ${surface}`);
  }
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError(`--port: '${flags.port}' is not a port`);
  const baseUrl = apiRootOf(surface, flags.server);
  const clientState = isAppLevel(surface) ? undefined : (flags.clientState ?? randomUUID());
  const store = flags.store ? new FileTokenStore(flags.store) : new MemoryTokenStore();

  const receiver = createReceiver({
    surface,
    feed: { baseUrl },
    store,
    getAccessToken: () => token,
    ...(clientState !== undefined && { clientState }),
    onNotification: (entries) => entries.forEach((entry) => print(`notification ${JSON.stringify(entry)}`)),
    onChanges: printChanges,
    onError: (error, { key }) => process.stderr.write(`nudge: reading ${key} failed: ${describe(error)}\n`),
  });
  const server = createServer(receiver);
  const local = await listenOn(server, port, flags.host);
  print(`Receiver listening on ${local}`);
  const notificationUrl = flags.publicUrl ?? local;

  let keeper: SubscriptionKeeper | undefined;
  try {
    let target: FeedTarget;
    if (isAppLevel(surface)) {
      const userId = await registerUser(surface, baseUrl, token);
      target = { surface, userId };
      print(`App-level surface: notifications go to the app's webhook. Point it at ${notificationUrl}`);
      print(
        `  (PATCH /admin/tenants/{tenant}/apps/{app} {"webhookUrl":"${notificationUrl}"}); registered user ${userId}`,
      );
    } else {
      keeper = await keepSubscription({
        surface,
        baseUrl,
        resource: flags.resource ?? "/me/drive/root",
        ...(flags.site !== undefined && { site: flags.site }),
        notificationUrl,
        ...(clientState !== undefined && { clientState }),
        getAccessToken: () => token,
        onError: (error) =>
          process.stderr.write(`nudge: renewing the subscription failed: ${describe(error)}\n`),
      });
      target = keeper.target;
      const { id, expiresAt } = keeper.subscription;
      print(`Subscribed: ${surface} subscription ${id}, expires ${new Date(expiresAt).toISOString()}`);
    }
    if (flags.from === "latest" && (await store.get(feedKeyOf(target))) === undefined) {
      await receiver.startAtLatest(target);
    }
    print("Waiting for notifications (Ctrl-C to stop).");
    await signalled();
  } catch (error) {
    await stop(server, receiver, keeper).catch(() => undefined);
    throw error instanceof HttpError ? new CliError(describe(error)) : error;
  }
  print("Stopping.");
  await stop(server, receiver, keeper);
}

function printChanges(batch: ChangeBatch): void {
  const what = batch.resync
    ? " (resync: the stored position had expired)"
    : batch.initial
      ? " (from the beginning)"
      : "";
  print(`changes ${batch.changes.length} from ${batch.key}${what}`);
  for (const change of batch.changes) print(`  ${JSON.stringify(change)}`);
}

async function stop(
  server: Server,
  receiver: { close(): Promise<void> },
  keeper: SubscriptionKeeper | undefined,
): Promise<void> {
  if (keeper) {
    await keeper.delete();
    print(`Deleted subscription ${keeper.subscription.id}`);
  }
  await receiver.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** The first SIGINT or SIGTERM. */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

async function listenOn(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error) =>
      reject(new CliError(`cannot listen on ${host}:${port}: ${error.message}`)),
    );
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${shown}:${address.port}/hook`;
}

/**
 * An app-level surface registers a user on any API call for them, and says who they are: OneNote
 * in the X-AuthenticatedUserId header, the OneDrive API as the drive's owner.
 */
async function registerUser(
  surface: "onenote" | "onedrive-legacy",
  baseUrl: string,
  token: string,
): Promise<string> {
  const path = surface === "onenote" ? "/me/notes/notebooks" : "/drive";
  const response = await request(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.body.text();
  if (response.statusCode >= 400)
    throw new CliError(`GET ${baseUrl}${path} answered ${response.statusCode}: ${text}`);
  const userId =
    surface === "onenote"
      ? response.headers["x-authenticateduserid"]
      : (JSON.parse(text) as { owner?: { user?: { id?: string } } }).owner?.user?.id;
  if (typeof userId !== "string") throw new CliError(`GET ${baseUrl}${path} did not say who the user is`);
  return userId;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
