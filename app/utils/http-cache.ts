import type { HeadersFunction } from "@remix-run/node";

/**
 * Public pages that are the same for everyone: a CDN may keep them a few
 * seconds and serve a stale copy while it fetches a fresh one, so a new
 * signature shows within seconds while a launch-day spike costs us little.
 * Browsers honour stale-while-revalidate too, so pages someone reaches right
 * after changing something get an address of their own (see pledge.sign).
 * The server's own page cache (scripts/serve.ts) keys on these headers too:
 * only responses marked public are cached there.
 */
export const publicCacheControl = "public, max-age=0, s-maxage=5, stale-while-revalidate=10";

export const publicPageHeaders: HeadersFunction = () => ({ "Cache-Control": publicCacheControl });
