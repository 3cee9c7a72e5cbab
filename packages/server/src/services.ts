/** The services of one Nudge node, wired together. Surfaces and the CLI use only these. */
import type { Dispatcher } from "undici";
import type { Clock } from "./clock.js";
import type { Config } from "./config/defaults.js";
import type { ServiceContext } from "./context.js";
import type { SurfaceProfiles } from "./policy/profile.js";
import { DeliveryService } from "./delivery/service.js";
import { IdentityService } from "./identity/service.js";
import { DriveService } from "./resources/drive/service.js";
import { ChangeFeed } from "./resources/feed.js";
import { ItemService } from "./resources/items.js";
import { NotesService } from "./resources/notes/service.js";
import { ResourceService } from "./resources/service.js";
import { AppRegistrations } from "./subscriptions/registrations.js";
import { SubscriptionService } from "./subscriptions/service.js";

export interface Services {
  /** The node's internals (database, doorbell); surfaces read `clock` and `config` instead. */
  ctx: ServiceContext;
  /** The clock every time on the wire is read from. */
  clock: Clock;
  config: Readonly<Config>;
  profiles: SurfaceProfiles;
  identity: IdentityService;
  resources: ResourceService;
  items: ItemService;
  feed: ChangeFeed;
  subscriptions: SubscriptionService;
  deliveries: DeliveryService;
  registrations: AppRegistrations;
  notes: NotesService;
  drive: DriveService;
}

/**
 * Builds every service once, over one context, and hands each the collaborators it calls: no
 * service makes its own copy of another. `profiles` are the surfaces' rules (surfaces/profiles.ts).
 */
export function buildServices(ctx: ServiceContext, http: Dispatcher, profiles: SurfaceProfiles): Services {
  const identity = new IdentityService(ctx.db, ctx.clock);
  const resources = new ResourceService(ctx);
  const items = new ItemService(ctx);
  const subscriptions = new SubscriptionService(ctx, http);
  const registrations = new AppRegistrations(ctx);
  return {
    ctx,
    clock: ctx.clock,
    config: ctx.config,
    profiles,
    identity,
    resources,
    items,
    feed: new ChangeFeed(ctx),
    subscriptions,
    deliveries: new DeliveryService(ctx, subscriptions),
    registrations,
    notes: new NotesService(ctx, { resources, items, identity }),
    drive: new DriveService(ctx, {
      resources,
      items,
      registrations,
      previewProfile: profiles["onedrive-legacy"],
    }),
  };
}
