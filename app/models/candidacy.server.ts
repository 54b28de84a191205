import { writeTransaction } from "#db/index";
import { and, count, desc, eq, inArray, sql } from "drizzle-orm";
import { askRecipients, asks, candidacies, constituencies, parties, pledgeHistory } from "#db/schema";
import type { emailSources } from "#db/enums";
import { db } from "~/utils/db.server";
import { findCampaign } from "~/models/campaign.server";
import { findAnsweredEarlierWords, findCurrentPledge, historyPointsOf } from "~/models/pledge.server";
import { candidacyPledge } from "~/models/pledge-status.server";
import { inBatches } from "~/utils/batches";

export type CandidacyRecord = {
  electionId: string;
  personId: string;
  name: string;
  partyId: string;
  ballotPaperId: string;
  constituencyCode: string;
  email: string | null;
  /** "staff" keeps the staff member's source URL, who and when; anything else clears them. */
  emailSource: (typeof emailSources)[number] | null;
  homepageUrl: string | null;
  links: Record<string, string> | null;
  statement: string | null;
  status: "standing" | "withdrawn";
  source: string;
};

export async function listCandidacyRecords({ electionId }: { electionId: string }): Promise<CandidacyRecord[]> {
  return await db
    .select({
      electionId: candidacies.electionId,
      personId: candidacies.personId,
      name: candidacies.name,
      partyId: candidacies.partyId,
      ballotPaperId: candidacies.ballotPaperId,
      constituencyCode: candidacies.constituencyCode,
      email: candidacies.email,
      emailSource: candidacies.emailSource,
      homepageUrl: candidacies.homepageUrl,
      links: candidacies.links,
      statement: candidacies.statement,
      status: candidacies.status,
      source: candidacies.source,
    })
    .from(candidacies)
    .where(eq(candidacies.electionId, electionId));
}

/** Inserts new candidacies and rewrites changed ones, keyed by election and person. */
export async function saveCandidacyRecords({ records, now }: { records: CandidacyRecord[]; now: Date }) {
  if (records.length === 0) return;
  const at = now.toISOString();
  // One prepared statement run a row: drizzle builds a multi-row insert's SQL
  // value by value, which cost ten times the writes (docs/benchmarks.md).
  const upsert = db
    .insert(candidacies)
    .values({
      electionId: sql.placeholder("electionId"),
      personId: sql.placeholder("personId"),
      name: sql.placeholder("name"),
      partyId: sql.placeholder("partyId"),
      ballotPaperId: sql.placeholder("ballotPaperId"),
      constituencyCode: sql.placeholder("constituencyCode"),
      email: sql.placeholder("email"),
      emailSource: sql.placeholder("emailSource"),
      homepageUrl: sql.placeholder("homepageUrl"),
      // Bound as ready-made JSON text: the json column would encode a null
      // placeholder value as the text 'null' instead of NULL.
      links: sql`${sql.placeholder("links")}`,
      statement: sql.placeholder("statement"),
      status: sql.placeholder("status"),
      source: sql.placeholder("source"),
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoUpdate({
      target: [candidacies.electionId, candidacies.personId],
      set: {
        name: sql`excluded.name`,
        partyId: sql`excluded.party_id`,
        ballotPaperId: sql`excluded.ballot_paper_id`,
        constituencyCode: sql`excluded.constituency_code`,
        email: sql`excluded.email`,
        emailSource: sql`excluded.email_source`,
        // Who found a staff-added address, and where, stays with it; an
        // imported address (or none) has no such provenance.
        emailSourceUrl: sql`case when excluded.email_source = 'staff' then ${candidacies.emailSourceUrl} end`,
        emailAddedBy: sql`case when excluded.email_source = 'staff' then ${candidacies.emailAddedBy} end`,
        emailAddedAt: sql`case when excluded.email_source = 'staff' then ${candidacies.emailAddedAt} end`,
        homepageUrl: sql`excluded.homepage_url`,
        links: sql`excluded.links`,
        statement: sql`excluded.statement`,
        status: sql`excluded.status`,
        source: sql`excluded.source`,
        updatedAt: sql`excluded.updated_at`,
      },
    })
    .prepare();
  for (const record of records) {
    await upsert.execute({ ...record, links: record.links === null ? null : JSON.stringify(record.links) });
  }
}

/** Candidates are never deleted: someone no longer listed is marked withdrawn. */
export async function markCandidaciesWithdrawn({
  electionId,
  personIds,
  now,
}: {
  electionId: string;
  personIds: string[];
  now: Date;
}) {
  return writeTransaction(db, async () => {
    for (const batch of inBatches(personIds)) {
      await db
        .update(candidacies)
        .set({ status: "withdrawn", updatedAt: now.toISOString() })
        .where(and(eq(candidacies.electionId, electionId), inArray(candidacies.personId, batch)));
    }
  });
}

/** How many candidacies each election has, for start-up to check the campaign's election has some. */
export async function countCandidaciesByElection() {
  return await db
    .select({ electionId: candidacies.electionId, n: count() })
    .from(candidacies)
    .groupBy(candidacies.electionId)
    .orderBy(candidacies.electionId);
}

export async function countCandidacies({ status }: { status?: "standing" | "withdrawn" } = {}) {
  return (
    (
      await db
        .select({ n: count() })
        .from(candidacies)
        .where(status ? eq(candidacies.status, status) : undefined)
        .limit(1)
    )[0]?.n ?? 0
  );
}

// Who a candidacy is, as every page that names one shows it.
const summaryColumns = {
  id: candidacies.id,
  personId: candidacies.personId,
  name: candidacies.name,
  partyName: parties.name,
  constituencyName: constituencies.name,
  constituencySlug: constituencies.slug,
};

/** A candidacy's name, party and constituency, for the signing page. */
export async function findCandidacySummary({ candidacyId }: { candidacyId: number }) {
  return (
    await db
      .select(summaryColumns)
      .from(candidacies)
      .innerJoin(parties, eq(parties.id, candidacies.partyId))
      .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
      .where(eq(candidacies.id, candidacyId))
      .limit(1)
  )[0];
}

/** Everything the public candidate page shows. */
export async function findCandidatePage({ personId }: { personId: string }) {
  const campaign = await findCampaign();
  if (!campaign) return null;
  const candidacy = (
    await db
      .select({
        ...summaryColumns,
        status: candidacies.status,
        hasEmail: sql<number>`${candidacies.email} is not null`.mapWith(Number),
        emailSource: candidacies.emailSource,
        emailSourceUrl: candidacies.emailSourceUrl,
        emailAddedAt: candidacies.emailAddedAt,
        homepageUrl: candidacies.homepageUrl,
        constituencyCode: constituencies.gssCode,
      })
      .from(candidacies)
      .innerJoin(parties, eq(parties.id, candidacies.partyId))
      .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
      .where(and(eq(candidacies.electionId, campaign.electionId), eq(candidacies.personId, personId)))
      .limit(1)
  )[0];
  if (!candidacy) return null;
  const pledge = await findCurrentPledge({ candidacyId: candidacy.id });
  const earlierWords = await findAnsweredEarlierWords({ candidacyId: candidacy.id });
  const history = await db
    .select({
      createdAt: pledgeHistory.createdAt,
      trustMark: pledgeHistory.trustMark,
      answers: pledgeHistory.answers,
      pointVersions: pledgeHistory.pointVersions,
      statement: pledgeHistory.statement,
      evidenceUrl: pledgeHistory.evidenceUrl,
    })
    .from(pledgeHistory)
    .where(eq(pledgeHistory.candidacyId, candidacy.id))
    .orderBy(desc(pledgeHistory.id));
  const historyPoints = await historyPointsOf({ entries: history });
  const asked =
    (
      await db
        .select({ n: count() })
        .from(askRecipients)
        .innerJoin(asks, eq(asks.id, askRecipients.askId))
        .where(and(eq(askRecipients.candidacyId, candidacy.id), eq(asks.status, "confirmed")))
        .limit(1)
    )[0]?.n ?? 0;
  const { emailSource, emailSourceUrl, emailAddedAt, ...shown } = candidacy;
  return {
    candidacy: { ...shown, hasEmail: Boolean(candidacy.hasEmail) },
    // Where the address came from, never who on the staff added it.
    emailOrigin: !candidacy.hasEmail
      ? null
      : emailSource === "staff"
        ? { from: "campaign" as const, url: emailSourceUrl, addedAt: emailAddedAt }
        : { from: "import" as const },
    points: campaign.points.map((p) => ({
      id: p.id,
      title: p.title,
      answer: pledge.answers[p.id] ?? null,
      answeredAt: pledge.answeredAt[p.id] ?? null,
      /** The words answered, when the campaign has changed them since. */
      answeredWords: earlierWords.get(p.id) ?? null,
    })),
    statement: pledge.statement,
    trustMark: pledge.trustMark,
    evidenceUrl: pledge.evidenceUrl,
    pledge: candidacyPledge({
      standing: candidacy.status === "standing",
      answers: pledge.answers,
      points: campaign.points,
    }),
    history: history.map((entry, i) => ({ ...entry, points: historyPoints[i] ?? [] })),
    asked,
  };
}

export async function findCandidacyIdByPerson({ personId }: { personId: string }) {
  const campaign = await findCampaign();
  if (!campaign) return undefined;
  return (
    await db
      .select({ id: candidacies.id })
      .from(candidacies)
      .where(and(eq(candidacies.electionId, campaign.electionId), eq(candidacies.personId, personId)))
      .limit(1)
  )[0]?.id;
}
