/**
 * The names of the surfaces, as stored in rows (`subscriptions.surface`, `pending_marks.surface`).
 * They live here, below the policy layer that gives each surface its rules, so that repositories
 * can check a stored name once and hand out the type instead of a string.
 */
export const SURFACE_NAMES = ["native", "sharepoint", "graph", "onedrive-legacy", "onenote"] as const;

export type SurfaceName = (typeof SURFACE_NAMES)[number];

export function isSurfaceName(name: string | null | undefined): name is SurfaceName {
  return (SURFACE_NAMES as readonly (string | null | undefined)[]).includes(name);
}
