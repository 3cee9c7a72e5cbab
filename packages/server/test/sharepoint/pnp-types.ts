/**
 * @pnp/sp 4.x adds `sp.web`, `web.lists`, `list.items` and `list.subscriptions` through module
 * augmentations written with extension-less paths (`declare module "../fi"`), which TypeScript's
 * NodeNext resolution cannot find, so they do not apply here. This file states the same
 * augmentations with resolvable paths; it changes types only, never behaviour.
 */
import type { IItems } from "@pnp/sp/items/types.js";
import type { ILists } from "@pnp/sp/lists/types.js";
import type { ISubscriptions } from "@pnp/sp/subscriptions/types.js";
import type { IWeb } from "@pnp/sp/webs/types.js";

declare module "@pnp/sp/fi.js" {
  interface SPFI {
    readonly web: IWeb;
  }
}

declare module "@pnp/sp/webs/types.js" {
  interface IWeb {
    readonly lists: ILists;
  }
}

declare module "@pnp/sp/lists/types.js" {
  interface IList {
    readonly items: IItems;
    readonly subscriptions: ISubscriptions;
  }
}
