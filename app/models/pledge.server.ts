// Pledges: each candidacy's current answers per point and statement, the
// append-only history of every change, and the mails a change sends.
import { and, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import {
  askRecipients,
  asks,
  candidacies,
  constituencies,
  pledgeHistory,
  pledgePointAnswers,
  pledgePointVersions,
  pledgePoints,
  pledges,
} from "#db/schema";
import type { PledgeAnswer, TrustMark } from "#db/enums";
import { lockRows, writeTransaction } from "#db/index";
import { recordAudit } from "~/models/audit.server";
import { findCampaign, requireCampaign } from "~/models/campaign.server";
import { enqueueMail } from "~/models/outbox.server";
import { candidacyPledge } from "~/models/pledge-status.server";
import { issueSupporterLink } from "~/models/supporter-link.server";
import { candidateSignedNoticeMail, pledgeRecordedMail } from "~/mail-wording/pledge-mails";
import { db } from "~/utils/db.server";
import { env, publicUrl } from "~/utils/env.server";
import { paths } from "~/utils/paths";
import { pointAnswerLabel, type HistoryPoint } from "~/utils/pledge";

export type Answers = Record<number, PledgeAnswer>;

/** The current answers (by point id) and statement of one candidacy. */
export async function findCurrentPledge({ candidacyId }: { candidacyId: number }) {
  const pledge = (
    await db
      .select({
        statement: pledges.statement,
        trustMark: pledges.trustMark,
        evidenceUrl: pledges.evidenceUrl,
        updatedAt: pledges.updatedAt,
      })
      .from(pledges)
      .where(eq(pledges.candidacyId, candidacyId))
      .limit(1)
  )[0];
  const answers: Answers = {};
  const answeredAt: Record<number, string> = {};
  // Which version of each point's words was answered (pledge_point_versions).
  const pointVersions: Record<number, number> = {};
  for (const row of await db
    .select({
      pointId: pledgePointAnswers.pointId,
      answer: pledgePointAnswers.answer,
      answeredAt: pledgePointAnswers.answeredAt,
      pointVersion: pledgePointAnswers.pointVersion,
    })
    .from(pledgePointAnswers)
    .where(eq(pledgePointAnswers.candidacyId, candidacyId))) {
    answers[row.pointId] = row.answer;
    answeredAt[row.pointId] = row.answeredAt;
    pointVersions[row.pointId] = row.pointVersion;
  }
  return {
    answers,
    answeredAt,
    pointVersions,
    statement: pledge?.statement ?? null,
    trustMark: pledge?.trustMark ?? null,
    evidenceUrl: pledge?.evidenceUrl ?? null,
    updatedAt: pledge?.updatedAt ?? null,
  };
}

/**
 * The words a candidacy answered, for each point whose words the campaign has
 * changed since (by point id): its answer stands against these, not the
 * point's words today.
 */
export async function findAnsweredEarlierWords({ candidacyId }: { candidacyId: number }) {
  const rows = await db
    .select({
      pointId: pledgePointAnswers.pointId,
      version: pledgePointVersions.version,
      title: pledgePointVersions.title,
      body: pledgePointVersions.body,
    })
    .from(pledgePointAnswers)
    .innerJoin(pledgePoints, eq(pledgePoints.id, pledgePointAnswers.pointId))
    .innerJoin(
      pledgePointVersions,
      and(
        eq(pledgePointVersions.pointId, pledgePointAnswers.pointId),
        eq(pledgePointVersions.version, pledgePointAnswers.pointVersion),
      ),
    )
    .where(
      and(eq(pledgePointAnswers.candidacyId, candidacyId), lt(pledgePointAnswers.pointVersion, pledgePoints.version)),
    );
  return new Map(rows.map((row) => [row.pointId, { version: row.version, title: row.title, body: row.body }]));
}

/**
 * Each pledge history entry's answers against the words it answered (the
 * versions it records, in pledge_point_versions), not today's titles: today's
 * points in order, then any point the campaign has since removed that the
 * entry answered, marked as removed.
 */
export async function historyPointsOf({
  entries,
}: {
  entries: { answers: Record<string, PledgeAnswer>; pointVersions: Record<string, number> | null }[];
}): Promise<HistoryPoint[][]> {
  const points = (await findCampaign())?.points ?? [];
  const answeredIds = [...new Set(entries.flatMap((entry) => Object.keys(entry.answers).map(Number)))];
  const words = new Map<string, string>();
  for (const row of answeredIds.length === 0
    ? []
    : await db
        .select({
          pointId: pledgePointVersions.pointId,
          version: pledgePointVersions.version,
          title: pledgePointVersions.title,
        })
        .from(pledgePointVersions)
        .where(inArray(pledgePointVersions.pointId, answeredIds))) {
    words.set(`${row.pointId}:${row.version}`, row.title);
  }
  const currentIds = new Set(points.map((p) => p.id));
  return entries.map((entry) => {
    const versionOf = (pointId: number) => entry.pointVersions?.[String(pointId)] ?? 1;
    const current: HistoryPoint[] = points.map((point) => {
      const answer = entry.answers[String(point.id)] ?? null;
      const version = versionOf(point.id);
      return {
        pointId: point.id,
        number: point.position,
        title: answer ? (words.get(`${point.id}:${version}`) ?? point.title) : point.title,
        answer,
        wordsChangedSince: answer !== null && version < point.version,
      };
    });
    const removed: HistoryPoint[] = Object.entries(entry.answers)
      .map(([id, answer]) => ({ pointId: Number(id), answer }))
      .filter(({ pointId }) => !currentIds.has(pointId) && words.has(`${pointId}:${versionOf(pointId)}`))
      .map(({ pointId, answer }) => ({
        pointId,
        number: null,
        title: words.get(`${pointId}:${versionOf(pointId)}`) ?? "",
        answer,
        wordsChangedSince: false,
      }));
    return [...current, ...removed];
  });
}

/**
 * A pledge made elsewhere (a public post, a letter), recorded by campaign
 * staff with evidence. It never overrides a pledge verified by email.
 */
export async function recordPledgeByCampaign({
  electionId,
  personId,
  answers,
  statement,
  evidenceUrl,
  note,
  recordedBy,
  now,
}: {
  electionId: string;
  personId: string;
  answers: Answers;
  statement: string | null;
  evidenceUrl: string;
  note: string;
  recordedBy: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const candidacy = (
      await db
        .select({ id: candidacies.id, status: candidacies.status })
        .from(candidacies)
        .where(and(eq(candidacies.electionId, electionId), eq(candidacies.personId, personId)))
        .limit(1)
    )[0];
    if (!candidacy) return { status: "unknown" as const };
    if (candidacy.status !== "standing") return { status: "withdrawn" as const };
    const current = await findCurrentPledge({ candidacyId: candidacy.id });
    if (current.trustMark === "verified-by-email") return { status: "verified" as const };
    const changed = await savePledge({
      candidacyId: candidacy.id,
      answers,
      statement,
      trustMark: "recorded-by-campaign",
      evidenceUrl,
      note,
      recordedBy,
      now,
    });
    await recordAudit({
      actor: recordedBy,
      action: "pledge.record",
      subject: `candidacy:${candidacy.id} person:${personId}`,
      details: { answers, statement, evidenceUrl, note, changed },
      now,
    });
    return { status: "recorded" as const, changed, candidacyId: candidacy.id };
  });
}

function sameAnswers(a: Answers, b: Answers) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[Number(k)] === b[Number(k)]);
}

/** Call inside a write transaction. Returns whether anything changed. */
export async function savePledge({
  candidacyId,
  answers,
  statement,
  trustMark,
  evidenceUrl,
  note,
  recordedBy,
  now,
}: {
  candidacyId: number;
  answers: Answers;
  statement: string | null;
  trustMark: TrustMark;
  evidenceUrl: string | null;
  note: string | null;
  recordedBy: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    // What follows reads the current pledge, then writes the change: two
    // signings at once (two processes on PostgreSQL) take turns here.
    await lockRows(db, candidacies.id, eq(candidacies.id, candidacyId));
    const campaign = await requireCampaign();
    const pointIds = new Set(campaign.points.map((p) => p.id));
    const versionOf = new Map(campaign.points.map((p) => [p.id, p.version]));
    const wanted: Answers = {};
    for (const [pointId, answer] of Object.entries(answers)) {
      if (pointIds.has(Number(pointId))) wanted[Number(pointId)] = answer;
    }
    const current = await findCurrentPledge({ candidacyId });
    // Answers to points the campaign has since removed stay as they were, and
    // are none of what is compared here.
    const currentAnswers: Answers = {};
    for (const pointId of pointIds) {
      const answer = current.answers[pointId];
      if (answer) currentAnswers[pointId] = answer;
    }
    // An answer given again to words that have changed since is an answer to
    // the new words: it is recorded again, against their version.
    const answeredOlderWords = (pointId: number) =>
      wanted[pointId] !== undefined && current.pointVersions[pointId] !== versionOf.get(pointId);
    if (
      current.trustMark === trustMark &&
      sameAnswers(currentAnswers, wanted) &&
      ![...pointIds].some(answeredOlderWords) &&
      (current.statement ?? null) === statement &&
      (current.evidenceUrl ?? null) === evidenceUrl
    ) {
      return false;
    }
    const at = now.toISOString();
    for (const pointId of pointIds) {
      const before = current.answers[pointId];
      const after = wanted[pointId];
      if (before === after && !answeredOlderWords(pointId)) continue;
      const pointVersion = versionOf.get(pointId) ?? 1;
      const where = and(eq(pledgePointAnswers.candidacyId, candidacyId), eq(pledgePointAnswers.pointId, pointId));
      if (!after) await db.delete(pledgePointAnswers).where(where);
      else if (!before)
        await db
          .insert(pledgePointAnswers)
          .values({ candidacyId, pointId, answer: after, pointVersion, answeredAt: at });
      else await db.update(pledgePointAnswers).set({ answer: after, pointVersion, answeredAt: at }).where(where);
    }
    // Every answer now stands against its point's current words.
    const pointVersions = Object.fromEntries(Object.keys(wanted).map((id) => [id, versionOf.get(Number(id)) ?? 1]));

    await db
      .insert(pledges)
      .values({ candidacyId, statement, trustMark, evidenceUrl, firstAnsweredAt: at, updatedAt: at })
      .onConflictDoUpdate({ target: pledges.candidacyId, set: { statement, trustMark, evidenceUrl, updatedAt: at } });
    await db.insert(pledgeHistory).values({
      candidacyId,
      answers: wanted,
      pointVersions,
      statement,
      trustMark,
      evidenceUrl,
      note,
      recordedBy,
      createdAt: at,
    });

    const candidacy = (
      await db
        .select({
          name: candidacies.name,
          email: candidacies.email,
          personId: candidacies.personId,
          standing: sql<boolean>`${candidacies.status} = 'standing'`.mapWith(Boolean),
          constituencyName: constituencies.name,
        })
        .from(candidacies)
        .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
        .where(eq(candidacies.id, candidacyId))
        .limit(1)
    )[0];
    if (!candidacy) return true;
    const pageUrl = publicUrl(paths.candidate(candidacy.personId));
    const pledge = candidacyPledge({ standing: candidacy.standing, answers: wanted, points: campaign.points });
    if (candidacy.email && trustMark === "verified-by-email") {
      const mail = pledgeRecordedMail({
        campaign,
        candidateName: candidacy.name,
        points: campaign.points.map((p) => ({ title: p.title, answerLabel: pointAnswerLabel(wanted[p.id]) })),
        signedEveryPoint: pledge.signedEveryPoint,
        statement,
        candidatePageUrl: pageUrl,
        publicUrl: env.PUBLIC_URL,
      });
      await enqueueMail({
        kind: "pledge-recorded",
        toAddress: candidacy.email,
        toName: candidacy.name,
        ...mail,
        candidacyId,
        now,
      });
    }
    if (pledge.signed > 0) {
      await notifySupporters({
        candidacyId,
        candidacy,
        signedCount: pledge.signed,
        signedEveryPoint: pledge.signedEveryPoint,
        pointCount: pledge.pointCount,
        pageUrl,
        now,
      });
    }
    return true;
  });
}

async function notifySupporters({
  candidacyId,
  candidacy,
  signedCount,
  signedEveryPoint,
  pointCount,
  pageUrl,
  now,
}: {
  candidacyId: number;
  candidacy: { name: string; constituencyName: string };
  signedCount: number;
  signedEveryPoint: boolean;
  pointCount: number;
  pageUrl: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const campaign = await requireCampaign();
    const waiting = await db
      .select({ askId: asks.id, name: asks.name, email: asks.email })
      .from(askRecipients)
      .innerJoin(asks, eq(asks.id, askRecipients.askId))
      .where(
        and(
          eq(askRecipients.candidacyId, candidacyId),
          isNull(askRecipients.notifiedAt),
          eq(asks.status, "confirmed"),
          eq(asks.wantsUpdates, true),
        ),
      );
    for (const supporter of waiting) {
      const link = await issueSupporterLink({ askId: supporter.askId, now });
      const mail = candidateSignedNoticeMail({
        campaign,
        supporterName: supporter.name,
        candidateName: candidacy.name,
        constituencyName: candidacy.constituencyName,
        signedCount,
        signedEveryPoint,
        pointCount,
        candidatePageUrl: pageUrl,
        publicUrl: env.PUBLIC_URL,
        manageUrl: link.manageUrl,
      });
      await enqueueMail({
        kind: "candidate-signed",
        toAddress: supporter.email,
        toName: supporter.name,
        ...mail,
        listUnsubscribe: link.listUnsubscribe,
        askId: supporter.askId,
        now,
      });
      await db
        .update(askRecipients)
        .set({ notifiedAt: now.toISOString() })
        .where(and(eq(askRecipients.askId, supporter.askId), eq(askRecipients.candidacyId, candidacyId)));
    }
  });
}
