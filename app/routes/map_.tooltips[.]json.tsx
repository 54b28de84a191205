import type { LoaderFunctionArgs } from "@remix-run/node";
import { findMapTooltips } from "~/models/map.server";
import { publicCacheControl } from "~/utils/http-cache";
import { parseMapTooltipsQuery } from "~/utils/page-query";

// /map/tooltips.json: the candidates the map's tooltips list, fetched by the
// map's script (app/enhance/map-tooltip.js) when someone first points at a
// hex, so the page itself need not carry 4,515 candidates. Public and the
// same for everyone, so the page cache keeps it by data version as it keeps
// the map (page-query.ts declares its one parameter).
export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseMapTooltipsQuery(new URL(request.url).searchParams);
  return new Response(JSON.stringify(await findMapTooltips(query)), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": publicCacheControl },
  });
}
