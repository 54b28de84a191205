// The staff console's view of candidates: a searchable, paged list of the
// election's candidacies, and one candidate's contact details, pledge history
// and how the asks naming them reached them.
import { and, asc, count, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import {
  askRecipients,
  asks,
  candidacies,
  constituencies,
  importRuns,
  parties,
  pledgeHistory,
  staffAccounts,
} from "#db/schema";
import { askDeliveries, importKinds, type CandidacyStatus, type ImportKind } from "#db/enums";
import { likeAnyCase } from "#db/dialect";
import { findCampaign } from "~/models/campaign.server";
import { candidacyAnswersJson, candidacyPledge } from "~/models/pledge-status.server";
import { historyPointsOf } from "~/models/pledge.server";
import { db } from "~/utils/db.server";
import { likeContaining } from "~/utils/like-pattern";
import { pageWindow } from "~/utils/paging";

const STAFF_CANDIDATES_PAGE_SIZE = 50;

export type StaffCandidateFilters = {
  name?: string;
  constituency?: string;
  party?: string;
  status?: CandidacyStatus;
  hasEmail?: "yes" | "no";
};

/**
 * One page of the campaign's election's candidacies, by constituency then
 * name. The filters and the page are applied in SQL: the real election has
 * over 4,500 candidacies, and only the page's rows are read.
 */
export async function listCandidatesForStaff({
  name,
  constituency,
  party,
  status,
  hasEmail,
  page,
  pageSize = STAFF_CANDIDATES_PAGE_SIZE,
}: StaffCandidateFilters & { page: number; pageSize?: number }) {
  const campaign = await findCampaign();
  if (!campaign) return { rows: [], total: 0, page: 1, pageCount: 1 };
  // SQLite's LIKE ignores case for ASCII letters; names with accents match as typed.
  const where = and(
    eq(candidacies.electionId, campaign.electionId),
    name ? likeAnyCase(candidacies.name, likeContaining(name)) : undefined,
    constituency ? likeAnyCase(constituencies.name, likeContaining(constituency)) : undefined,
    party ? eq(candidacies.partyId, party) : undefined,
    status ? eq(candidacies.status, status) : undefined,
    hasEmail === "yes" ? isNotNull(candidacies.email) : hasEmail === "no" ? isNull(candidacies.email) : undefined,
  );
  const total =
    (
      await db
        .select({ n: count() })
        .from(candidacies)
        .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
        .where(where)
        .limit(1)
    )[0]?.n ?? 0;
  const window = pageWindow({ total, page, pageSize });
  const rows = await db
    .select({
      id: candidacies.id,
      personId: candidacies.personId,
      name: candidacies.name,
      partyName: parties.name,
      constituencyName: constituencies.name,
      status: candidacies.status,
      hasEmail: sql<number>`${candidacies.email} is not null`.mapWith(Number),
      answers: candidacyAnswersJson,
    })
    .from(candidacies)
    .innerJoin(parties, eq(parties.id, candidacies.partyId))
    .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
    .where(where)
    .orderBy(asc(constituencies.name), asc(candidacies.name), asc(candidacies.id))
    .limit(pageSize)
    .offset(window.offset);
  return {
    rows: rows.map(({ answers, hasEmail: email, ...row }) => ({
      ...row,
      hasEmail: Boolean(email),
      pledgeStatus: candidacyPledge({ standing: row.status === "standing", answers, points: campaign.points }).status,
    })),
    total,
    page: window.page,
    pageCount: window.pageCount,
  };
}

/** The parties standing in the campaign's election, for the list's party filter. */
export async function listCandidateParties() {
  const campaign = await findCampaign();
  if (!campaign) return [];
  return await db
    .selectDistinct({ id: parties.id, name: parties.name })
    .from(parties)
    .innerJoin(candidacies, eq(candidacies.partyId, parties.id))
    .where(eq(candidacies.electionId, campaign.electionId))
    .orderBy(asc(parties.name));
}

type Deliveries = Record<(typeof askDeliveries)[number], number>;

/**
 * What a candidate's console page shows beyond the public page: their email
 * and where it came from, the full pledge history with its notes and who
 * recorded each entry, and how the asks naming them reached them.
 */
export async function findCandidateForStaff({ personId }: { personId: string }) {
  const campaign = await findCampaign();
  if (!campaign) return null;
  const candidacy = (
    await db
      .select({
        id: candidacies.id,
        personId: candidacies.personId,
        name: candidacies.name,
        partyName: parties.name,
        constituencyName: constituencies.name,
        constituencySlug: constituencies.slug,
        ballotPaperId: candidacies.ballotPaperId,
        status: candidacies.status,
        email: candidacies.email,
        emailSource: candidacies.emailSource,
        emailSourceUrl: candidacies.emailSourceUrl,
        emailAddedAt: candidacies.emailAddedAt,
        emailAddedBy: staffAccounts.email,
        homepageUrl: candidacies.homepageUrl,
        source: candidacies.source,
        updatedAt: candidacies.updatedAt,
      })
      .from(candidacies)
      .innerJoin(parties, eq(parties.id, candidacies.partyId))
      .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
      .leftJoin(staffAccounts, eq(staffAccounts.id, candidacies.emailAddedBy))
      .where(and(eq(candidacies.electionId, campaign.electionId), eq(candidacies.personId, personId)))
      .limit(1)
  )[0];
  if (!candidacy) return null;
  const history = await db
    .select({
      id: pledgeHistory.id,
      createdAt: pledgeHistory.createdAt,
      trustMark: pledgeHistory.trustMark,
      answers: pledgeHistory.answers,
      pointVersions: pledgeHistory.pointVersions,
      statement: pledgeHistory.statement,
      evidenceUrl: pledgeHistory.evidenceUrl,
      note: pledgeHistory.note,
      recordedBy: pledgeHistory.recordedBy,
    })
    .from(pledgeHistory)
    .where(eq(pledgeHistory.candidacyId, candidacy.id))
    .orderBy(desc(pledgeHistory.id));
  const historyPoints = await historyPointsOf({ entries: history });
  const { emailSource, emailSourceUrl, emailAddedAt, emailAddedBy, ...rest } = candidacy;
  return {
    candidacy: rest,
    emailSource: !candidacy.email
      ? null
      : emailSource === "staff"
        ? { added: "staff" as const, sourceUrl: emailSourceUrl, addedBy: emailAddedBy, addedAt: emailAddedAt }
        : { added: "import" as const, ...(await importOf({ source: candidacy.source })) },
    history: history.map((entry, i) => ({ ...entry, points: historyPoints[i] ?? [] })),
    asks: await countAsksNaming({ candidacyId: candidacy.id }),
  };
}

// The importers write their kind ("dc-candidates") as a candidacy's source,
// so the newest applied run of that kind is the import the email came from
// (or a later one that left it as it was).
async function importOf({ source }: { source: string }) {
  if (!(importKinds as readonly string[]).includes(source)) return { source, importedAt: null };
  const run = (
    await db
      .select({ finishedAt: importRuns.finishedAt })
      .from(importRuns)
      .where(and(eq(importRuns.kind, source as ImportKind), eq(importRuns.dryRun, false)))
      .orderBy(desc(importRuns.id))
      .limit(1)
  )[0];
  return { source, importedAt: run?.finishedAt ?? null };
}

/**
 * Asks naming a candidate, by how they reached them. Only confirmed asks
 * count as sent; asks held for review are counted apart, and unconfirmed or
 * rejected ones not at all.
 */
async function countAsksNaming({ candidacyId }: { candidacyId: number }) {
  const rows = await db
    .select({ status: asks.status, delivery: askRecipients.delivery, n: count() })
    .from(askRecipients)
    .innerJoin(asks, eq(asks.id, askRecipients.askId))
    .where(eq(askRecipients.candidacyId, candidacyId))
    .groupBy(asks.status, askRecipients.delivery);
  const deliveries: Deliveries = { mail: 0, digest: 0, "no-email": 0, "already-signed": 0 };
  let confirmed = 0;
  let held = 0;
  for (const row of rows) {
    if (row.status === "held") held += row.n;
    if (row.status !== "confirmed") continue;
    confirmed += row.n;
    if (row.delivery) deliveries[row.delivery] += row.n;
  }
  return { confirmed, held, deliveries };
}
