import { listPledgeRecords } from "~/models/open-data.server";
import { env } from "~/utils/env.server";
import { openDataHeaders, openDataMeta, pledgeFields } from "~/utils/open-data";

// /data/pledges.json: the same records as pledges.csv, values unchanged (no
// spreadsheet protection is needed in JSON), with the attribution in `meta`.
export async function loader() {
  const result = await listPledgeRecords();
  if (!result) throw new Response("No campaign is set up yet.", { status: 404 });
  const body = {
    meta: {
      ...openDataMeta({
        campaign: result.campaign,
        generatedAt: new Date(),
        publicUrl: env.PUBLIC_URL,
        fields: pledgeFields,
      }),
      points: result.campaign.points,
    },
    data: result.records,
  };
  return new Response(JSON.stringify(body), {
    headers: openDataHeaders({ contentType: "application/json; charset=utf-8" }),
  });
}
