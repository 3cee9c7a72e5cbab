/**
 * The five dialects a receiver may hear. Subscription surfaces (native, SharePoint, Graph) send a
 * handshake and a clientState per subscription; app-level surfaces (OneNote, the OneDrive preview)
 * have one webhook per app and name the user whose content changed.
 */
export type SurfaceName = "native" | "sharepoint" | "graph" | "onenote" | "onedrive-legacy";

export type SubscriptionSurface = "native" | "sharepoint" | "graph";

export const SURFACES: readonly SurfaceName[] = [
  "native",
  "sharepoint",
  "graph",
  "onenote",
  "onedrive-legacy",
];

export function isSurfaceName(value: string): value is SurfaceName {
  return (SURFACES as readonly string[]).includes(value);
}

/** App-level surfaces have no subscription to create or renew: the app's webhook is set once. */
export function isAppLevel(surface: SurfaceName): surface is "onenote" | "onedrive-legacy" {
  return surface === "onenote" || surface === "onedrive-legacy";
}
