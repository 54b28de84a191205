// The staff dashboard's figures, read live from the database. Campaign
// managers reload it every hour on launch day, over the real election's
// 4,515 candidates and up to 100k asks, so the asks are counted by SQLite
// (one aggregate query per figure), never fetched row by row.
import { readTransaction } from "#db/index";
import { and, asc, count, desc, eq, exists, gte, inArray, isNotNull, min, sql } from "drizzle-orm";
import { asks, candidacies, constituencies, pledgePointAnswers, pledges } from "#db/schema";
import { nations, type Nation, type OutboxStatus } from "#db/enums";
import { findCampaign } from "~/models/campaign.server";
import { countOutboxByStatus } from "~/models/outbox.server";
import { listCandidacyStatuses } from "~/models/pledge-status.server";
import { db } from "~/utils/db.server";
import type { PledgeStatus } from "~/utils/pledge";
import { addDays, londonDay, startOfLondonDay } from "~/utils/london-day";
import { DAY } from "~/utils/time";

export type PeriodCounts = { today: number; week: number; total: number };

/**
 * Standing candidates of one nation by pledge status. The columns are the
 * board's statuses, named on the page by pledgeStatusLabels (app/utils/pledge.ts):
 * all = "signed-all", some = "signed-some", declined = "declined",
 * notYet = "no-answer"; `standing` is their sum.
 */
export type NationCandidates = {
  nation: Nation;
  all: number;
  some: number;
  declined: number;
  notYet: number;
  standing: number;
};

export type TopConstituency = { name: string; slug: string; confirmedAsks: number };

/** One Europe/London calendar day ("YYYY-MM-DD"). */
export type DayFigures = { date: string; confirmedAsks: number; signatures: number };

export type DashboardFigures = {
  /** `held`: confirmed by their supporters, waiting in the review queue. */
  asks: { started: PeriodCounts; confirmed: PeriodCounts; confirmationRate: number | null; held: number };
  mails: Record<OutboxStatus, number>;
  candidatesByNation: NationCandidates[];
  topConstituencies: TopConstituency[];
  perDay: DayFigures[];
};

/** The chart covers at most this many days, today included, so a long campaign's page stays small. */
const PER_DAY_LIMIT = 120;
const TOP_CONSTITUENCIES = 10;

const nationColumn: Record<Exclude<PledgeStatus, "withdrawn">, "all" | "some" | "declined" | "notYet"> = {
  "signed-all": "all",
  "signed-some": "some",
  declined: "declined",
  "no-answer": "notYet",
};

/**
 * Everything the dashboard shows. "today" counts from midnight Europe/London
 * of `now` (the campaign's day, whatever the server's zone); "week" is rolling,
 * the 7 × 24 hours before `now`, so it does not drop to nothing each Monday.
 */
export async function dashboardFigures({ now }: { now: Date }): Promise<DashboardFigures> {
  // One read transaction, so the figures are from one moment and agree with each other.
  return readTransaction(db, async () => {
    const campaign = await findCampaign();
    const mails = await countOutboxByStatus();
    if (!campaign) {
      const none = { today: 0, week: 0, total: 0 };
      return {
        asks: { started: none, confirmed: none, confirmationRate: null, held: 0 },
        mails,
        candidatesByNation: [],
        topConstituencies: [],
        perDay: [{ date: londonDay(now), confirmedAsks: 0, signatures: 0 }],
      };
    }
    const electionId = campaign.electionId;
    const pointIds = campaign.points.map((p) => p.id);
    return {
      asks: await countAsks({ electionId, now }),
      mails,
      candidatesByNation: await countCandidatesByNation(),
      topConstituencies: await listTopConstituencies({ electionId }),
      perDay: await listPerDay({ electionId, pointIds, now }),
    };
  });
}

async function countAsks({ electionId, now }: { electionId: string; now: Date }) {
  const today = startOfLondonDay(londonDay(now)).toISOString();
  const week = new Date(now.getTime() - 7 * DAY).toISOString();
  const confirmed = sql`${asks.status} = 'confirmed' and ${asks.confirmedAt} is not null`;
  const row = (
    await db
      .select({
        startedToday: sql<number>`count(*) filter (where ${asks.createdAt} >= ${today})`.mapWith(Number),
        startedWeek: sql<number>`count(*) filter (where ${asks.createdAt} >= ${week})`.mapWith(Number),
        startedTotal: count(),
        confirmedToday: sql<number>`count(*) filter (where ${confirmed} and ${asks.confirmedAt} >= ${today})`.mapWith(
          Number,
        ),
        confirmedWeek: sql<number>`count(*) filter (where ${confirmed} and ${asks.confirmedAt} >= ${week})`.mapWith(
          Number,
        ),
        confirmedTotal: sql<number>`count(*) filter (where ${confirmed})`.mapWith(Number),
        held: sql<number>`count(*) filter (where ${asks.status} = 'held')`.mapWith(Number),
      })
      .from(asks)
      .where(eq(asks.electionId, electionId))
      .limit(1)
  )[0];
  const started = { today: row?.startedToday ?? 0, week: row?.startedWeek ?? 0, total: row?.startedTotal ?? 0 };
  const confirmedCounts = {
    today: row?.confirmedToday ?? 0,
    week: row?.confirmedWeek ?? 0,
    total: row?.confirmedTotal ?? 0,
  };
  return {
    started,
    confirmed: confirmedCounts,
    confirmationRate: started.total === 0 ? null : Math.round((confirmedCounts.total / started.total) * 100),
    held: row?.held ?? 0,
  };
}

// From the board's own rows, so the dashboard and the board never disagree on
// a status; withdrawn candidates count nowhere, as on the board.
async function countCandidatesByNation(): Promise<NationCandidates[]> {
  const byNation = new Map<string, NationCandidates>();
  for (const row of await listCandidacyStatuses()) {
    if (!row.standing || row.status === "withdrawn") continue;
    const nation = row.nation as Nation;
    const counts = byNation.get(nation) ?? { nation, all: 0, some: 0, declined: 0, notYet: 0, standing: 0 };
    counts[nationColumn[row.status]]++;
    counts.standing++;
    byNation.set(nation, counts);
  }
  return nations.flatMap((nation) => byNation.get(nation) ?? []);
}

async function listTopConstituencies({ electionId }: { electionId: string }): Promise<TopConstituency[]> {
  const confirmedAsks = count();
  return await db
    .select({ name: constituencies.name, slug: constituencies.slug, confirmedAsks })
    .from(asks)
    .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
    .where(and(eq(asks.electionId, electionId), eq(asks.status, "confirmed"), isNotNull(asks.confirmedAt)))
    .groupBy(constituencies.gssCode)
    .orderBy(desc(confirmedAsks), asc(constituencies.name))
    .limit(TOP_CONSTITUENCIES);
}

async function listPerDay({ electionId, pointIds, now }: { electionId: string; pointIds: number[]; now: Date }) {
  const today = londonDay(now);
  const launch = await findLaunch({ electionId });
  const earliest = addDays(today, -(PER_DAY_LIMIT - 1));
  const launchDay = launch ? londonDay(new Date(launch)) : today;
  const firstDay = launchDay < earliest ? earliest : launchDay > today ? today : launchDay;
  const from = startOfLondonDay(firstDay).toISOString();

  const days = new Map<string, DayFigures>();
  for (let date = firstDay; date <= today; date = addDays(date, 1))
    days.set(date, { date, confirmedAsks: 0, signatures: 0 });

  // SQLite knows nothing of Europe/London, so SQL counts per UTC hour and the
  // hours are put into London days here: the UK's offset is always a whole
  // hour, so each UTC hour lies wholly inside one London day. At most
  // 24 rows a day come back, however many asks there are.
  const askHour = sql<string>`substr(${asks.confirmedAt}, 1, 13)`;
  const askHours = await db
    .select({ hour: askHour, n: count() })
    .from(asks)
    .where(and(eq(asks.electionId, electionId), eq(asks.status, "confirmed"), gte(asks.confirmedAt, from)))
    .groupBy(askHour);
  for (const { hour, n } of askHours) {
    const day = days.get(londonDay(new Date(`${hour}:00:00Z`)));
    if (day) day.confirmedAsks += n;
  }

  // A candidate counts on the day their pledge was first answered if it now
  // signs at least one of the campaign's points, and only while standing, so
  // the chart adds up to the signed figures by nation.
  if (pointIds.length > 0) {
    const signedHour = sql<string>`substr(${pledges.firstAnsweredAt}, 1, 13)`;
    const signedHours = await db
      .select({ hour: signedHour, n: count() })
      .from(pledges)
      .innerJoin(candidacies, eq(candidacies.id, pledges.candidacyId))
      .where(
        and(
          eq(candidacies.electionId, electionId),
          eq(candidacies.status, "standing"),
          gte(pledges.firstAnsweredAt, from),
          exists(
            db
              .select({ one: sql`1` })
              .from(pledgePointAnswers)
              .where(
                and(
                  eq(pledgePointAnswers.candidacyId, pledges.candidacyId),
                  eq(pledgePointAnswers.answer, "signed"),
                  inArray(pledgePointAnswers.pointId, pointIds),
                ),
              ),
          ),
        ),
      )
      .groupBy(signedHour);
    for (const { hour, n } of signedHours) {
      const day = days.get(londonDay(new Date(`${hour}:00:00Z`)));
      if (day) day.signatures += n;
    }
  }
  return [...days.values()];
}

/** When the campaign began: its first ask (of any status) or first pledge answer, whichever came first. */
async function findLaunch({ electionId }: { electionId: string }): Promise<string | null> {
  const firstAsk = (
    await db
      .select({ at: min(asks.createdAt) })
      .from(asks)
      .where(eq(asks.electionId, electionId))
      .limit(1)
  )[0]?.at;
  const firstAnswer = (
    await db
      .select({ at: min(pledges.firstAnsweredAt) })
      .from(pledges)
      .innerJoin(candidacies, eq(candidacies.id, pledges.candidacyId))
      .where(eq(candidacies.electionId, electionId))
      .limit(1)
  )[0]?.at;
  const times = [firstAsk, firstAnswer].filter((t): t is string => typeof t === "string");
  return times.length === 0 ? null : times.reduce((a, b) => (a < b ? a : b));
}
