import { listPledgeRecords } from "~/models/open-data.server";
import { toCsv } from "~/utils/csv";
import { openDataHeaders } from "~/utils/open-data";

// /data/pledges.csv: one row per candidacy, a column per pledge point. A CSV
// has no room for the attribution, so the Link header points at /data.
export async function loader() {
  const result = await listPledgeRecords();
  if (!result) throw new Response("No campaign is set up yet.", { status: 404 });
  const pointColumn = (position: number) => `point_${position}`;
  const columns = [
    "person_id",
    "person_name",
    "ballot_paper_id",
    "election_id",
    "gss_code",
    "constituency_name",
    "party_id",
    "party_name",
    "candidacy_status",
    "pledge_status",
    ...result.campaign.points.map((p) => pointColumn(p.position)),
    "statement",
    "first_answered_at",
    "updated_at",
    "trust_mark",
  ];
  const rows = result.records.map(({ points, ...record }) => ({
    ...record,
    ...Object.fromEntries(points.map((p) => [pointColumn(p.position), p.answer])),
  }));
  return new Response(toCsv(columns, rows), {
    headers: {
      ...openDataHeaders({ contentType: "text/csv; charset=utf-8" }),
      "Content-Disposition": 'attachment; filename="pledges.csv"',
    },
  });
}
