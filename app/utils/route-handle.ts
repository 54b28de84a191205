// What a route tells the document about itself. Public read pages are complete
// as HTML and are what people share, so they ship no framework runtime at all
// (issue 13's weight budget): `hydrate: false` leaves out Remix's scripts and
// the loader data they would carry; `scripts` names small progressive
// enhancements (plain modules from our origin) such a page loads instead.
export type RouteHandle = { hydrate?: false; scripts?: string[] };

/** For a public read page: no Remix runtime, optionally a few enhancement scripts. */
export const staticPage = (...scripts: string[]): RouteHandle => ({ hydrate: false, scripts });

export function documentScripts(handles: unknown[]) {
  const found = handles.filter((h): h is RouteHandle => typeof h === "object" && h !== null);
  return {
    hydrate: !found.some((h) => h.hydrate === false),
    scripts: [...new Set(found.flatMap((h) => h.scripts ?? []))],
  };
}
