import { preparedPerConnection } from "#db/index";
import { and, asc, count, eq, sql } from "drizzle-orm";
import { asks, constituencies } from "#db/schema";
import type { CandidacyStatus, PledgeAnswer } from "#db/enums";
import { findCampaign } from "~/models/campaign.server";
import { listCandidacyStatuses } from "~/models/pledge-status.server";
import { db } from "~/utils/db.server";
import { suppressCount } from "~/utils/suppressed-count";
import type { PledgeStatus } from "~/utils/pledge";

// The open data files. Built from listCandidacyStatuses(), the same rows the
// board and the map read, so the three never disagree. Field names are
// snake_case, as Democracy Club's own exports are; see utils/open-data.ts.

export type OpenDataCampaign = {
  name: string;
  electionId: string;
  points: { position: number; title: string }[];
};

export type PledgeRecord = {
  person_id: string;
  person_name: string;
  ballot_paper_id: string;
  election_id: string;
  gss_code: string;
  constituency_name: string;
  party_id: string;
  party_name: string;
  candidacy_status: CandidacyStatus;
  pledge_status: PledgeStatus;
  points: { position: number; title: string; answer: PledgeAnswer | null }[];
  statement: string | null;
  first_answered_at: string | null;
  updated_at: string | null;
  trust_mark: string | null;
};

export type ConstituencyCount = {
  gss_code: string;
  name: string;
  nation: string;
  region_code: string | null;
  region: string | null;
  candidates: number;
  signed: number;
  signed_some: number;
  declined: number;
  no_answer: number;
  asks: number | null;
  asks_suppressed: boolean;
};

// Public files fetched on every request, so their queries are prepared once
// (otherwise drizzle builds a query's SQL, and SQLite compiles it, on every call), on first use: a
// fresh database has no tables until migrated.
function prepareQueries() {
  return {
    seats: db
      .select({
        gssCode: constituencies.gssCode,
        name: constituencies.name,
        nation: constituencies.nation,
        regionCode: constituencies.regionCode,
        regionName: constituencies.regionName,
      })
      .from(constituencies)
      .orderBy(asc(constituencies.name))
      .prepare(),
    // One grouped query for every constituency's confirmed asks.
    askCounts: db
      .select({ constituencyCode: asks.constituencyCode, n: count() })
      .from(asks)
      .where(and(eq(asks.electionId, sql.placeholder("electionId")), eq(asks.status, "confirmed")))
      .groupBy(asks.constituencyCode)
      .prepare(),
  };
}
const queries = preparedPerConnection(db, prepareQueries);

function describeCampaign(campaign: NonNullable<Awaited<ReturnType<typeof findCampaign>>>): OpenDataCampaign {
  return {
    name: campaign.name,
    electionId: campaign.electionId,
    points: campaign.points.map((p) => ({ position: p.position, title: p.title })),
  };
}

/** One record per candidacy of the campaign's election, or null before a campaign is set up. */
export async function listPledgeRecords() {
  const found = await findCampaign();
  if (!found) return null;
  const campaign = describeCampaign(found);
  const records: PledgeRecord[] = (await listCandidacyStatuses()).map((row) => ({
    person_id: row.personId,
    person_name: row.name,
    ballot_paper_id: row.ballotPaperId,
    election_id: campaign.electionId,
    gss_code: row.constituencyCode,
    constituency_name: row.constituencyName,
    party_id: row.partyId,
    party_name: row.partyName,
    candidacy_status: row.standing ? "standing" : "withdrawn",
    pledge_status: row.status,
    points: found.points.map((p) => ({ position: p.position, title: p.title, answer: row.answers[p.id] ?? null })),
    statement: row.statement,
    first_answered_at: row.firstAnsweredAt,
    updated_at: row.updatedAt,
    trust_mark: row.trustMark,
  }));
  return { campaign, records };
}

/**
 * Counts per constituency, every constituency included (none standing is a
 * count too). Asks are confirmed asks in the campaign's election. A count
 * suppressCount hides (as the pages do) is null with asks_suppressed: true:
 * null rather than the pages' words, so the field stays a number for anyone
 * loading it into a typed column.
 */
export async function listConstituencyCounts() {
  const found = await findCampaign();
  if (!found) return null;
  const seats = await queries().seats.execute();
  const askCounts = new Map(
    (await queries().askCounts.execute({ electionId: found.electionId })).map((a) => [a.constituencyCode, a.n]),
  );
  const tallies = new Map<string, Record<Exclude<PledgeStatus, "withdrawn">, number>>();
  for (const row of await listCandidacyStatuses()) {
    if (row.status === "withdrawn") continue;
    const tally = tallies.get(row.constituencyCode) ?? {
      "signed-all": 0,
      "signed-some": 0,
      declined: 0,
      "no-answer": 0,
    };
    tally[row.status]++;
    tallies.set(row.constituencyCode, tally);
  }
  const counts: ConstituencyCount[] = seats.map((seat) => {
    const tally = tallies.get(seat.gssCode) ?? { "signed-all": 0, "signed-some": 0, declined: 0, "no-answer": 0 };
    const asked = suppressCount(askCounts.get(seat.gssCode) ?? 0);
    return {
      gss_code: seat.gssCode,
      name: seat.name,
      nation: seat.nation,
      region_code: seat.regionCode,
      region: seat.regionName,
      candidates: tally["signed-all"] + tally["signed-some"] + tally.declined + tally["no-answer"],
      signed: tally["signed-all"],
      signed_some: tally["signed-some"],
      declined: tally.declined,
      no_answer: tally["no-answer"],
      asks: asked.exact ? asked.n : null,
      asks_suppressed: !asked.exact,
    };
  });
  return { campaign: describeCampaign(found), counts };
}
