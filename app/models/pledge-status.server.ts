import { asc, eq, sql } from "drizzle-orm";
import { candidacies, constituencies, parties, pledgePointAnswers, pledgePoints, pledges } from "#db/schema";
import { findCampaign } from "~/models/campaign.server";
import { db } from "~/utils/db.server";
import { pledgeStatusOf, type PledgeStatus } from "~/utils/pledge";

export type CandidacyStatusRow = {
  id: number;
  personId: string;
  name: string;
  ballotPaperId: string;
  partyId: string;
  partyName: string;
  constituencyCode: string;
  constituencyName: string;
  constituencySlug: string;
  nation: string;
  regionCode: string | null;
  regionName: string | null;
  standing: boolean;
  signed: number;
  declined: number;
  status: PledgeStatus;
  trustMark: string | null;
  statement: string | null;
  firstAnsweredAt: string | null;
  updatedAt: string | null;
  /** Point id → answer; a missing point is not answered. */
  answers: Record<number, "signed" | "declined">;
};

// One statement for every candidacy of the election with its pledge: the
// board, the map and the open data all read this, so they always agree.
// Prepared on first use (the tables must exist by then), then reused.
const buildStatusQuery = () =>
  db
  .select({
    id: candidacies.id,
    personId: candidacies.personId,
    name: candidacies.name,
    ballotPaperId: candidacies.ballotPaperId,
    partyId: candidacies.partyId,
    partyName: parties.name,
    constituencyCode: constituencies.gssCode,
    constituencyName: constituencies.name,
    constituencySlug: constituencies.slug,
    nation: constituencies.nation,
    regionCode: constituencies.regionCode,
    regionName: constituencies.regionName,
    candidacyStatus: candidacies.status,
    trustMark: pledges.trustMark,
    statement: pledges.statement,
    firstAnsweredAt: pledges.firstAnsweredAt,
    updatedAt: pledges.updatedAt,
    answers: sql<string | null>`(select json_group_object(${pledgePointAnswers.pointId}, ${pledgePointAnswers.answer}) from ${pledgePointAnswers} where ${pledgePointAnswers.candidacyId} = ${candidacies.id})`,
  })
  .from(candidacies)
  .innerJoin(parties, eq(parties.id, candidacies.partyId))
  .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
  .leftJoin(pledges, eq(pledges.candidacyId, candidacies.id))
  .where(eq(candidacies.electionId, sql.placeholder("electionId")))
  .orderBy(asc(constituencies.name), asc(candidacies.name))
  .prepare();
let statusQuery: ReturnType<typeof buildStatusQuery> | undefined;

export function listCandidacyStatuses(): CandidacyStatusRow[] {
  const campaign = findCampaign();
  if (!campaign) return [];
  const pointCount = campaign.points.length;
  statusQuery ??= buildStatusQuery();
  return statusQuery.all({ electionId: campaign.electionId }).map((row) => {
    const answers = row.answers ? (JSON.parse(row.answers) as Record<number, "signed" | "declined">) : {};
    const values = Object.values(answers);
    const signed = values.filter((a) => a === "signed").length;
    const declined = values.filter((a) => a === "declined").length;
    const standing = row.candidacyStatus === "standing";
    return {
      id: row.id,
      personId: row.personId,
      name: row.name,
      ballotPaperId: row.ballotPaperId,
      partyId: row.partyId,
      partyName: row.partyName,
      constituencyCode: row.constituencyCode,
      constituencyName: row.constituencyName,
      constituencySlug: row.constituencySlug,
      nation: row.nation,
      regionCode: row.regionCode,
      regionName: row.regionName,
      standing,
      signed,
      declined,
      status: pledgeStatusOf({ standing, signed, declined, pointCount }),
      trustMark: row.trustMark,
      statement: row.statement,
      firstAnsweredAt: row.firstAnsweredAt,
      updatedAt: row.updatedAt,
      answers,
    };
  });
}

// True for a candidacy that has signed every point of the campaign: such
// candidates are thanked, not asked.
export const signedEveryPoint = sql<number>`(select count(*) from ${pledgePointAnswers} where ${pledgePointAnswers.candidacyId} = ${candidacies.id} and ${pledgePointAnswers.answer} = 'signed') = (select count(*) from ${pledgePoints})`;
