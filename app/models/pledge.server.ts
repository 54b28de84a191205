import { and, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import {
  askRecipients,
  asks,
  auditLog,
  candidacies,
  constituencies,
  parties,
  pledgeHistory,
  pledgePointAnswers,
  pledges,
  signingTokens,
} from "#db/schema";
import type { PledgeAnswer, TrustMark } from "#db/enums";
import { writeTransaction } from "#db/index";
import { findCampaign } from "~/models/campaign.server";
import { enqueueMail } from "~/models/outbox.server";
import { enforceRateLimits } from "~/models/rate-limit.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { shortDate } from "~/utils/names";
import { candidateSignedNoticeMail, pledgeRecordedMail, signingLinkMail } from "~/mail-wording/pledge-mails";
import { generateToken, hashForKey, hashToken, looksLikeToken } from "~/utils/tokens.server";

const DAY = 24 * 60 * 60 * 1000;
export const SIGNING_LINK_LIFETIME_MS = 30 * DAY;

// A candidate's inbox gets at most this many requested signing links an hour,
// and one client may ask for only so many links an hour, whoever they are for
// (one address once queued 29 links to 10 candidates).
export const signingLinkLimits = {
  perCandidate: { limit: 3, windowMs: 60 * 60 * 1000 },
  perClient: { limit: 10, windowMs: 60 * 60 * 1000 },
} as const;

export type Answers = Record<number, PledgeAnswer>;

function requireCampaign() {
  const campaign = findCampaign();
  if (!campaign) throw new Error("No campaign is set up: load data/campaign.json first");
  return campaign;
}

export function candidatePageUrl(personId: string) {
  return `${env.PUBLIC_URL}/candidates/${personId}`;
}

function prepareSigningLink() {
  return {
    candidacy: db
      .select({ email: candidacies.email, status: candidacies.status })
      .from(candidacies)
      .where(eq(candidacies.id, sql.placeholder("id")))
      .prepare(),
    insert: db
      .insert(signingTokens)
      .values({
        candidacyId: sql.placeholder("candidacyId"),
        tokenHash: sql.placeholder("hash"),
        sentTo: sql.placeholder("sentTo"),
        expiresAt: sql.placeholder("expiresAt"),
        createdAt: sql.placeholder("createdAt"),
      })
      .prepare(),
  };
}
// Each confirmed ask issues one per candidate it mails: prepared once, on first use.
let signingLinkStatements: ReturnType<typeof prepareSigningLink> | undefined;

/**
 * A new signing link for a standing candidate with a published email, for a
 * mail the caller is writing in the same transaction. Null when there is
 * nowhere to send it.
 */
export function issueSigningLink({ candidacyId, now }: { candidacyId: number; now: Date }) {
  signingLinkStatements ??= prepareSigningLink();
  const candidacy = signingLinkStatements.candidacy.get({ id: candidacyId });
  if (!candidacy?.email || candidacy.status !== "standing") return null;
  const { token, hash } = generateToken();
  const expiresAt = new Date(now.getTime() + SIGNING_LINK_LIFETIME_MS).toISOString();
  signingLinkStatements.insert.run({ candidacyId, hash, sentTo: candidacy.email, expiresAt, createdAt: now.toISOString() });
  return { url: `${env.PUBLIC_URL}/pledge/sign/${token}`, expiresAt };
}

/**
 * "Are you this candidate? Email me a signing link": the link goes only to
 * the published address, never one typed in a form. The caller shows the same
 * page whatever happens here, so no one learns whether an address is on file.
 * Throws RateLimited when the client or the candidate is over its limit; both
 * are counted before looking at the address, so a 429 says nothing about it.
 */
export function requestSigningLink({ candidacyId, clientIp, now }: { candidacyId: number; clientIp: string; now: Date }) {
  const campaign = requireCampaign();
  writeTransaction(db, () => {
    const candidacy = db
      .select({
        name: candidacies.name,
        email: candidacies.email,
        status: candidacies.status,
        constituencyName: constituencies.name,
      })
      .from(candidacies)
      .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
      .where(eq(candidacies.id, candidacyId))
      .get();
    enforceRateLimits({ hits: [{ key: `signing-link-ip:${hashForKey(clientIp)}`, ...signingLinkLimits.perClient }], now });
    // Withdrawn candidates cannot sign, so there is nothing to send (or count).
    if (!candidacy || candidacy.status !== "standing") return;
    enforceRateLimits({ hits: [{ key: `signing-link:${candidacyId}`, ...signingLinkLimits.perCandidate }], now });
    if (!candidacy.email) return;
    const link = issueSigningLink({ candidacyId, now });
    if (!link) return;
    const mail = signingLinkMail({
      campaign,
      candidateName: candidacy.name,
      constituencyName: candidacy.constituencyName,
      signingUrl: link.url,
      expiresOn: shortDate(link.expiresAt),
      publicUrl: env.PUBLIC_URL,
    });
    enqueueMail({ kind: "signing-link", toAddress: candidacy.email, toName: candidacy.name, ...mail, candidacyId, now });
  });
}

/** Every open link of these candidacies stops working (their published email changed). */
export function revokeSigningLinks({ candidacyIds, now }: { candidacyIds: number[]; now: Date }) {
  for (let i = 0; i < candidacyIds.length; i += 500) {
    db.update(signingTokens)
      .set({ revokedAt: now.toISOString() })
      .where(and(inArray(signingTokens.candidacyId, candidacyIds.slice(i, i + 500)), isNull(signingTokens.revokedAt)))
      .run();
  }
}

/** The same, for candidacies named by election and Democracy Club person id (as imports know them). */
export function revokeSigningLinksOfPeople({ electionId, personIds, now }: { electionId: string; personIds: string[]; now: Date }) {
  for (let i = 0; i < personIds.length; i += 500) {
    const ids = db
      .select({ id: candidacies.id })
      .from(candidacies)
      .where(and(eq(candidacies.electionId, electionId), inArray(candidacies.personId, personIds.slice(i, i + 500))))
      .all()
      .map((c) => c.id);
    revokeSigningLinks({ candidacyIds: ids, now });
  }
}

type TokenCheck =
  | { status: "valid"; candidacyId: number }
  | { status: "expired" | "revoked" | "withdrawn"; candidacyId: number }
  | { status: "unknown" };

function checkSigningToken({ token, now }: { token: string; now: Date }): TokenCheck {
  if (!looksLikeToken(token)) return { status: "unknown" };
  const row = db
    .select({
      candidacyId: signingTokens.candidacyId,
      sentTo: signingTokens.sentTo,
      expiresAt: signingTokens.expiresAt,
      revokedAt: signingTokens.revokedAt,
      email: candidacies.email,
      status: candidacies.status,
    })
    .from(signingTokens)
    .innerJoin(candidacies, eq(candidacies.id, signingTokens.candidacyId))
    .where(eq(signingTokens.tokenHash, hashToken(token)))
    .get();
  if (!row) return { status: "unknown" };
  // A link sent to an address that is no longer the published one is dead
  // even if the revocation at import time was somehow missed.
  if (row.revokedAt || row.sentTo !== row.email) return { status: "revoked", candidacyId: row.candidacyId };
  if (row.status !== "standing") return { status: "withdrawn", candidacyId: row.candidacyId };
  if (row.expiresAt <= now.toISOString()) return { status: "expired", candidacyId: row.candidacyId };
  return { status: "valid", candidacyId: row.candidacyId };
}

/** What the signing page shows for a link; reading it changes nothing. */
export function findSigningPage({ token, now }: { token: string; now: Date }) {
  const check = checkSigningToken({ token, now });
  if (check.status === "unknown") return { status: "unknown" as const };
  const candidacy = findCandidacySummary({ candidacyId: check.candidacyId });
  if (!candidacy) return { status: "unknown" as const };
  if (check.status !== "valid") return { status: check.status, candidacy };
  return { status: "valid" as const, candidacy, pledge: findCurrentPledge({ candidacyId: check.candidacyId }) };
}

function findCandidacySummary({ candidacyId }: { candidacyId: number }) {
  return db
    .select({
      id: candidacies.id,
      personId: candidacies.personId,
      name: candidacies.name,
      partyName: parties.name,
      constituencyName: constituencies.name,
      constituencySlug: constituencies.slug,
    })
    .from(candidacies)
    .innerJoin(parties, eq(parties.id, candidacies.partyId))
    .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
    .where(eq(candidacies.id, candidacyId))
    .get();
}

/** The current answers (by point id) and statement of one candidacy. */
export function findCurrentPledge({ candidacyId }: { candidacyId: number }) {
  const pledge = db
    .select({ statement: pledges.statement, trustMark: pledges.trustMark, evidenceUrl: pledges.evidenceUrl, updatedAt: pledges.updatedAt })
    .from(pledges)
    .where(eq(pledges.candidacyId, candidacyId))
    .get();
  const answers: Answers = {};
  const answeredAt: Record<number, string> = {};
  for (const row of db
    .select({ pointId: pledgePointAnswers.pointId, answer: pledgePointAnswers.answer, answeredAt: pledgePointAnswers.answeredAt })
    .from(pledgePointAnswers)
    .where(eq(pledgePointAnswers.candidacyId, candidacyId))
    .all()) {
    answers[row.pointId] = row.answer;
    answeredAt[row.pointId] = row.answeredAt;
  }
  return {
    answers,
    answeredAt,
    statement: pledge?.statement ?? null,
    trustMark: pledge?.trustMark ?? null,
    evidenceUrl: pledge?.evidenceUrl ?? null,
    updatedAt: pledge?.updatedAt ?? null,
  };
}

/**
 * Records a candidate's answers from their signing link. Identical answers
 * change nothing and add no history; anything else updates the current pledge,
 * appends to the history, mails the published address, and tells supporters
 * who asked this candidate and wanted updates (once each) that they signed.
 */
export function recordPledgeFromLink({
  token,
  answers,
  statement,
  now,
}: {
  token: string;
  answers: Answers;
  statement: string | null;
  now: Date;
}) {
  return writeTransaction(db, () => {
    const check = checkSigningToken({ token, now });
    if (check.status !== "valid") return { status: check.status };
    const changed = savePledge({
      candidacyId: check.candidacyId,
      answers,
      statement,
      trustMark: "verified-by-email",
      evidenceUrl: null,
      note: null,
      recordedBy: "candidate",
      now,
    });
    return { status: "recorded" as const, changed, candidacyId: check.candidacyId };
  });
}

/**
 * A pledge made elsewhere (a public post, a letter), recorded by campaign
 * staff with evidence. It never overrides a pledge verified by email.
 */
export function recordPledgeByCampaign({
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
  return writeTransaction(db, () => {
    const candidacy = db
      .select({ id: candidacies.id, status: candidacies.status })
      .from(candidacies)
      .where(and(eq(candidacies.electionId, electionId), eq(candidacies.personId, personId)))
      .get();
    if (!candidacy) return { status: "unknown" as const };
    if (candidacy.status !== "standing") return { status: "withdrawn" as const };
    const current = findCurrentPledge({ candidacyId: candidacy.id });
    if (current.trustMark === "verified-by-email") return { status: "verified" as const };
    const changed = savePledge({
      candidacyId: candidacy.id,
      answers,
      statement,
      trustMark: "recorded-by-campaign",
      evidenceUrl,
      note,
      recordedBy,
      now,
    });
    db.insert(auditLog)
      .values({
        actor: recordedBy,
        action: "pledge.record",
        subject: `candidacy:${candidacy.id} person:${personId}`,
        details: { answers, statement, evidenceUrl, note, changed },
        createdAt: now.toISOString(),
      })
      .run();
    return { status: "recorded" as const, changed, candidacyId: candidacy.id };
  });
}

function sameAnswers(a: Answers, b: Answers) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[Number(k)] === b[Number(k)]);
}

/** Call inside a write transaction. Returns whether anything changed. */
function savePledge({
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
  const campaign = requireCampaign();
  const pointIds = new Set(campaign.points.map((p) => p.id));
  const wanted: Answers = {};
  for (const [pointId, answer] of Object.entries(answers)) {
    if (pointIds.has(Number(pointId))) wanted[Number(pointId)] = answer;
  }
  const current = findCurrentPledge({ candidacyId });
  if (
    current.trustMark === trustMark &&
    sameAnswers(current.answers, wanted) &&
    (current.statement ?? null) === statement &&
    (current.evidenceUrl ?? null) === evidenceUrl
  ) {
    return false;
  }
  const at = now.toISOString();
  for (const pointId of pointIds) {
    const before = current.answers[pointId];
    const after = wanted[pointId];
    if (before === after) continue;
    const where = and(eq(pledgePointAnswers.candidacyId, candidacyId), eq(pledgePointAnswers.pointId, pointId));
    if (!after) db.delete(pledgePointAnswers).where(where).run();
    else if (!before) db.insert(pledgePointAnswers).values({ candidacyId, pointId, answer: after, answeredAt: at }).run();
    else db.update(pledgePointAnswers).set({ answer: after, answeredAt: at }).where(where).run();
  }
  db.insert(pledges)
    .values({ candidacyId, statement, trustMark, evidenceUrl, firstAnsweredAt: at, updatedAt: at })
    .onConflictDoUpdate({ target: pledges.candidacyId, set: { statement, trustMark, evidenceUrl, updatedAt: at } })
    .run();
  db.insert(pledgeHistory)
    .values({ candidacyId, answers: wanted, statement, trustMark, evidenceUrl, note, recordedBy, createdAt: at })
    .run();

  const candidacy = db
    .select({ name: candidacies.name, email: candidacies.email, personId: candidacies.personId, constituencyName: constituencies.name })
    .from(candidacies)
    .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
    .where(eq(candidacies.id, candidacyId))
    .get();
  if (!candidacy) return true;
  const pageUrl = candidatePageUrl(candidacy.personId);
  if (candidacy.email && trustMark === "verified-by-email") {
    const mail = pledgeRecordedMail({
      campaign,
      candidateName: candidacy.name,
      points: campaign.points.map((p) => ({ title: p.title, answer: wanted[p.id] ?? null })),
      statement,
      candidatePageUrl: pageUrl,
      publicUrl: env.PUBLIC_URL,
    });
    enqueueMail({ kind: "pledge-recorded", toAddress: candidacy.email, toName: candidacy.name, ...mail, candidacyId, now });
  }
  const signedCount = Object.values(wanted).filter((a) => a === "signed").length;
  if (signedCount > 0) {
    notifySupporters({ candidacyId, candidacy, signedCount, pointCount: campaign.points.length, pageUrl, now });
  }
  return true;
}

function notifySupporters({
  candidacyId,
  candidacy,
  signedCount,
  pointCount,
  pageUrl,
  now,
}: {
  candidacyId: number;
  candidacy: { name: string; constituencyName: string };
  signedCount: number;
  pointCount: number;
  pageUrl: string;
  now: Date;
}) {
  const campaign = requireCampaign();
  const waiting = db
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
    )
    .all();
  for (const supporter of waiting) {
    const mail = candidateSignedNoticeMail({
      campaign,
      supporterName: supporter.name,
      candidateName: candidacy.name,
      constituencyName: candidacy.constituencyName,
      signedCount,
      pointCount,
      candidatePageUrl: pageUrl,
      publicUrl: env.PUBLIC_URL,
    });
    enqueueMail({ kind: "candidate-signed", toAddress: supporter.email, toName: supporter.name, ...mail, askId: supporter.askId, now });
    db.update(askRecipients)
      .set({ notifiedAt: now.toISOString() })
      .where(and(eq(askRecipients.askId, supporter.askId), eq(askRecipients.candidacyId, candidacyId)))
      .run();
  }
}

/** Signed and declined counts per candidacy in a constituency, for lists and the ask form. */
export function listPledgeTallies({ constituencyCode }: { constituencyCode: string }) {
  const rows = db
    .select({
      candidacyId: pledgePointAnswers.candidacyId,
      signed: sql<number>`sum(${pledgePointAnswers.answer} = 'signed')`,
      declined: sql<number>`sum(${pledgePointAnswers.answer} = 'declined')`,
    })
    .from(pledgePointAnswers)
    .innerJoin(candidacies, eq(candidacies.id, pledgePointAnswers.candidacyId))
    .where(eq(candidacies.constituencyCode, constituencyCode))
    .groupBy(pledgePointAnswers.candidacyId)
    .all();
  return new Map(rows.map((r) => [r.candidacyId, { signed: Number(r.signed), declined: Number(r.declined) }]));
}

/** Everything the public candidate page shows. */
export function findCandidatePage({ personId }: { personId: string }) {
  const campaign = findCampaign();
  if (!campaign) return null;
  const candidacy = db
    .select({
      id: candidacies.id,
      personId: candidacies.personId,
      name: candidacies.name,
      status: candidacies.status,
      hasEmail: sql<number>`${candidacies.email} is not null`,
      homepageUrl: candidacies.homepageUrl,
      partyName: parties.name,
      constituencyName: constituencies.name,
      constituencySlug: constituencies.slug,
      constituencyCode: constituencies.gssCode,
    })
    .from(candidacies)
    .innerJoin(parties, eq(parties.id, candidacies.partyId))
    .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
    .where(and(eq(candidacies.electionId, campaign.electionId), eq(candidacies.personId, personId)))
    .get();
  if (!candidacy) return null;
  const pledge = findCurrentPledge({ candidacyId: candidacy.id });
  const history = db
    .select({
      createdAt: pledgeHistory.createdAt,
      trustMark: pledgeHistory.trustMark,
      answers: pledgeHistory.answers,
      statement: pledgeHistory.statement,
      evidenceUrl: pledgeHistory.evidenceUrl,
    })
    .from(pledgeHistory)
    .where(eq(pledgeHistory.candidacyId, candidacy.id))
    .orderBy(desc(pledgeHistory.id))
    .all();
  const asked =
    db
      .select({ n: count() })
      .from(askRecipients)
      .innerJoin(asks, eq(asks.id, askRecipients.askId))
      .where(and(eq(askRecipients.candidacyId, candidacy.id), eq(asks.status, "confirmed")))
      .get()?.n ?? 0;
  return {
    candidacy: { ...candidacy, hasEmail: Boolean(candidacy.hasEmail) },
    points: campaign.points.map((p) => ({
      id: p.id,
      title: p.title,
      answer: pledge.answers[p.id] ?? null,
      answeredAt: pledge.answeredAt[p.id] ?? null,
    })),
    statement: pledge.statement,
    trustMark: pledge.trustMark,
    evidenceUrl: pledge.evidenceUrl,
    history,
    asked,
  };
}

export function findCandidacyIdByPerson({ personId }: { personId: string }) {
  const campaign = findCampaign();
  if (!campaign) return undefined;
  return db
    .select({ id: candidacies.id })
    .from(candidacies)
    .where(and(eq(candidacies.electionId, campaign.electionId), eq(candidacies.personId, personId)))
    .get()?.id;
}

