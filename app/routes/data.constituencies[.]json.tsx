import { listConstituencyCounts } from "~/models/open-data.server";
import { env } from "~/utils/env.server";
import { constituencyFields, openDataHeaders, openDataMeta } from "~/utils/open-data";

// /data/constituencies.json: counts per constituency, in the style of the
// UK Parliament petitions site's JSON (metadata, then one entry per seat).
export async function loader() {
  const result = await listConstituencyCounts();
  if (!result) throw new Response("No campaign is set up yet.", { status: 404 });
  const body = {
    meta: openDataMeta({
      campaign: result.campaign,
      generatedAt: new Date(),
      publicUrl: env.PUBLIC_URL,
      fields: constituencyFields,
    }),
    data: result.counts,
  };
  return new Response(JSON.stringify(body), {
    headers: openDataHeaders({ contentType: "application/json; charset=utf-8" }),
  });
}
