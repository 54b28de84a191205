import type { HeadersFunction } from "@remix-run/node";

/**
 * Public pages that are the same for everyone: a CDN may keep them a few
 * seconds and serve a stale copy while it fetches a fresh one, so a new
 * signature shows within seconds while a launch-day spike costs us little.
 * The server's own page cache (scripts/serve.ts) keys on these headers too:
 * only responses marked public are cached there.
 */
export const publicCacheControl = "public, max-age=0, s-maxage=5, stale-while-revalidate=30";

export const publicPageHeaders: HeadersFunction = () => ({ "Cache-Control": publicCacheControl });
