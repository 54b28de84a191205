// A candidacy's pledge status, decided in one place: candidacyPledge reads a
// candidacy's answers to the campaign's own points through pledgeStatusOf.
// The board, the map, the open data, the constituency and candidate pages, the
// ask form and the ask and digest mails all come here, so they always agree.
import { preparedPerConnection } from "#db/index";
import { asc, eq, sql } from "drizzle-orm";
import { candidacies, constituencies, parties, pledgePointAnswers, pledges } from "#db/schema";
import type { PledgeAnswer, TrustMark } from "#db/enums";
import { jsonObjectAgg } from "#db/dialect";
import { findCampaign } from "~/models/campaign.server";
import { db } from "~/utils/db.server";
import { pledgeStatusOf, signedEveryPoint, type PledgeStatus } from "~/utils/pledge";

type Answers = Record<number, PledgeAnswer>;

export type CandidacyPledge = {
  status: PledgeStatus;
  /** Points of the campaign signed, and declined. */
  signed: number;
  declined: number;
  pointCount: number;
  /** Signed every point, standing or not: such a candidate is thanked, never asked. */
  signedEveryPoint: boolean;
};

/**
 * A candidacy's answers as JSON text (point id → answer), to select beside
 * `candidacies` in any query and pass to candidacyPledge as it comes.
 */
export const candidacyAnswersJson = sql<
  Answers | string | null
>`(select ${jsonObjectAgg(pledgePointAnswers.pointId, pledgePointAnswers.answer)} from ${pledgePointAnswers} where ${pledgePointAnswers.candidacyId} = ${candidacies.id})`;

function answersOf(answers: Answers | string | null): Answers {
  if (answers === null) return {};
  return typeof answers === "string" ? (JSON.parse(answers) as Answers) : answers;
}

// Only the answers to the campaign's own points count: an answer to any
// other point (another campaign's, another election's) is none of this pledge.
function countAnswers(answers: Answers | string | null, points: readonly { id: number }[]) {
  const given = answersOf(answers);
  let signed = 0;
  let declined = 0;
  for (const point of points) {
    const answer = given[point.id];
    if (answer === "signed") signed++;
    else if (answer === "declined") declined++;
  }
  return { signed, declined, pointCount: points.length };
}

/** The one place a candidacy's status is decided, from its answers to the campaign's points. */
export function candidacyPledge({
  standing,
  answers,
  points,
}: {
  standing: boolean;
  /** Point id → answer, or candidacyAnswersJson's text. */
  answers: Answers | string | null;
  points: readonly { id: number }[];
}): CandidacyPledge {
  const { signed, declined, pointCount } = countAnswers(answers, points);
  return {
    status: pledgeStatusOf({ standing, signed, declined, pointCount }),
    signed,
    declined,
    pointCount,
    signedEveryPoint: signedEveryPoint({ signed, pointCount }),
  };
}

/**
 * Whether a candidacy signed every point of the campaign, standing or not
 * (candidacyPledge's signedEveryPoint): such a candidate is thanked, never asked.
 */
export function hasSignedEveryPoint({
  answers,
  points,
}: {
  answers: Answers | string | null;
  points: readonly { id: number }[];
}) {
  return signedEveryPoint(countAnswers(answers, points));
}

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
  trustMark: TrustMark | null;
  statement: string | null;
  firstAnsweredAt: string | null;
  updatedAt: string | null;
  /** Point id → answer; a missing point is not answered. */
  answers: Record<number, "signed" | "declined">;
};

// One statement for every candidacy of the election with its pledge: the
// board, the map and the open data all read this, so they always agree.
// Prepared on first use (the tables must exist by then), then reused.
function buildStatusQuery() {
  return db
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
      answers: candidacyAnswersJson,
    })
    .from(candidacies)
    .innerJoin(parties, eq(parties.id, candidacies.partyId))
    .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
    .leftJoin(pledges, eq(pledges.candidacyId, candidacies.id))
    .where(eq(candidacies.electionId, sql.placeholder("electionId")))
    .orderBy(asc(constituencies.name), asc(candidacies.name))
    .prepare();
}
const statusQuery = preparedPerConnection(db, buildStatusQuery);

export async function listCandidacyStatuses(): Promise<CandidacyStatusRow[]> {
  const campaign = await findCampaign();
  if (!campaign) return [];
  return (await statusQuery().execute({ electionId: campaign.electionId })).map((row) => {
    const answers = answersOf(row.answers);
    const standing = row.candidacyStatus === "standing";
    const { status, signed, declined } = candidacyPledge({ standing, answers, points: campaign.points });
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
      status,
      trustMark: row.trustMark,
      statement: row.statement,
      firstAnsweredAt: row.firstAnsweredAt,
      updatedAt: row.updatedAt,
      answers,
    };
  });
}

/**
 * The pledge of each candidacy the constituency page lists (every candidacy
 * in the constituency), by candidacy id, with how we know it and when it last
 * changed, for the trust mark beside each row.
 */
export async function listPledgesInConstituency({
  constituencyCode,
}: {
  constituencyCode: string;
}): Promise<Map<number, CandidacyPledge & { trustMark: TrustMark | null; updatedAt: string | null }>> {
  const points = (await findCampaign())?.points ?? [];
  const rows = await db
    .select({
      id: candidacies.id,
      candidacyStatus: candidacies.status,
      answers: candidacyAnswersJson,
      trustMark: pledges.trustMark,
      updatedAt: pledges.updatedAt,
    })
    .from(candidacies)
    .leftJoin(pledges, eq(pledges.candidacyId, candidacies.id))
    .where(eq(candidacies.constituencyCode, constituencyCode));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        ...candidacyPledge({ standing: row.candidacyStatus === "standing", answers: row.answers, points }),
        trustMark: row.trustMark,
        updatedAt: row.updatedAt,
      },
    ]),
  );
}
