/** The services of one Nudge node, wired together. Surfaces and the CLI use only these. */
import type { Dispatcher } from "undici";
import type { ServiceContext } from "./context.js";
import { DeliveryService } from "./delivery/service.js";
import { IdentityService } from "./identity/service.js";
import { DriveService } from "./resources/drive/service.js";
import { ChangeFeed } from "./resources/feed.js";
import { ItemService } from "./resources/items.js";
import { NotesService } from "./resources/notes/service.js";
import { ResourceService } from "./resources/service.js";
import { AppRegistrations } from "./subscriptions/registrations.js";
import { SubscriptionService } from "./subscriptions/service.js";
import { buildProfiles, type SurfaceProfiles } from "./surfaces/profiles.js";

export interface Services {
  ctx: ServiceContext;
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

export function buildServices(ctx: ServiceContext, http: Dispatcher): Services {
  const subscriptions = new SubscriptionService(ctx, http);
  return {
    ctx,
    profiles: buildProfiles(ctx.config),
    identity: new IdentityService(ctx.db, ctx.clock),
    resources: new ResourceService(ctx),
    items: new ItemService(ctx),
    feed: new ChangeFeed(ctx),
    subscriptions,
    deliveries: new DeliveryService(ctx, subscriptions),
    registrations: new AppRegistrations(ctx),
    notes: new NotesService(ctx),
    drive: new DriveService(ctx),
  };
}
