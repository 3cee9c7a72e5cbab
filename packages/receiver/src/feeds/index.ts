/** The change feed of each surface. */
import type { SurfaceName } from "../surfaces.js";
import type { Feed, FeedTarget } from "./feed.js";
import { graphFeed } from "./graph.js";
import { nativeFeed } from "./native.js";
import { legacyOneDriveFeed } from "./onedrive-legacy.js";
import { oneNoteFeed } from "./onenote.js";
import { sharePointFeed } from "./sharepoint.js";

const feeds: Record<SurfaceName, Feed> = {
  native: nativeFeed as Feed,
  sharepoint: sharePointFeed as Feed,
  graph: graphFeed as Feed,
  onenote: oneNoteFeed as Feed,
  "onedrive-legacy": legacyOneDriveFeed as Feed,
};

export function feedFor(surface: SurfaceName): Feed<FeedTarget> {
  return feeds[surface];
}

/**
 * Page sizes: as large as each API allows without surprises (OneNote caps `top` at 100; the
 * others take up to 1000, but smaller pages make progress sooner and bound memory).
 */
export const DEFAULT_PAGE_SIZE: Record<SurfaceName, number> = {
  native: 200,
  sharepoint: 200,
  graph: 200,
  onenote: 100,
  "onedrive-legacy": 200,
};
