// The query parameters each public page reads, in one place. The page cache
// (page-cache.server.ts) keys a page on these alone, in this order, so junk
// query strings (`/map?x=1`, `/map?x=2`, …) all share one entry instead of
// each rendering and keeping a copy; tests/unit/page-query.test.ts checks the
// board's and the map's parsers read no other. A public page not listed here
// is never cached: better uncached than served with the wrong content.

const pages: { path: RegExp; params: readonly string[] }[] = [
  { path: /^\/$/, params: ["postcode"] },
  { path: /^\/board$/, params: ["nation", "page", "party", "q", "region", "sort", "status"] },
  { path: /^\/map$/, params: ["party", "status"] },
  { path: /^\/constituencies$/, params: [] },
  { path: /^\/constituencies\/[^/]+$/, params: ["postcode"] },
  { path: /^\/candidates\/[^/]+$/, params: ["link", "recorded"] },
  { path: /^\/supporters$/, params: [] },
  { path: /^\/data$/, params: [] },
  { path: /^\/data\/(pledges\.csv|pledges\.json|constituencies\.json)$/, params: [] },
];

/** The query parameters a public page reads, or undefined for a page that is not declared. */
export function pageQueryParams(pathname: string): readonly string[] | undefined {
  return pages.find((page) => page.path.test(pathname))?.params;
}

/**
 * The page cache's key for a request target: the path and only the declared
 * parameters, sorted, each with its values in the order sent; `dropped` says
 * whether the target had others. Undefined when the page must not be cached:
 * an undeclared path, or a Remix `?_data=` request (JSON, not the page). A
 * client navigation's `/board.data` is keyed like `/board`, plus the
 * `_routes` parameter Remix sends with it.
 */
export function pageCacheKey(target: string): { key: string; dropped: boolean } | undefined {
  if (!target.startsWith("/")) return undefined;
  let url: URL;
  try {
    url = new URL(target, "http://cache.invalid");
  } catch {
    return undefined;
  }
  if (url.searchParams.has("_data")) return undefined;
  const isData = url.pathname.endsWith(".data");
  const pagePath = isData ? url.pathname.slice(0, -".data".length).replace(/^\/_root$/, "/") : url.pathname;
  const declared = pageQueryParams(pagePath);
  if (declared === undefined) return undefined;
  const names = isData ? [...declared, "_routes"].sort() : declared;
  const kept = new URLSearchParams();
  for (const name of names) for (const value of url.searchParams.getAll(name)) kept.append(name, value);
  const query = kept.toString();
  const dropped = [...url.searchParams.keys()].some((name) => !names.includes(name));
  return { key: query ? `${url.pathname}?${query}` : url.pathname, dropped };
}
