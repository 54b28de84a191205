// Signing links: the secure, single-use-per-change links that let a candidate
// sign from their published address. Only a link's hash is stored.
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { candidacies, constituencies, signingTokens } from "#db/schema";
import { writeTransaction, preparedPerConnection } from "#db/index";
import { requireCampaign } from "~/models/campaign.server";
import { enqueueMail } from "~/models/outbox.server";
import { findCandidacySummary } from "~/models/candidacy.server";
import { findCurrentPledge, savePledge, type Answers } from "~/models/pledge.server";
import { enforceRateLimits, hitRateLimit, rateLimitPolicy } from "~/models/rate-limit.server";
import { recordAudit } from "~/models/audit.server";
import { signingLinkMail } from "~/mail-wording/pledge-mails";
import { db } from "~/utils/db.server";
import { env, publicUrl } from "~/utils/env.server";
import { shortDate } from "~/utils/names";
import { paths } from "~/utils/paths";
import { SIGNING_LINK_LIFETIME_MS } from "~/utils/lifetimes";
import { clientHash } from "~/models/client-hash.server";
import { generateToken, hashToken, looksLikeToken } from "~/utils/tokens.server";
import { inBatches } from "~/utils/batches";

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
const signingLinkStatements = preparedPerConnection(db, prepareSigningLink);

/**
 * A new signing link for a standing candidate with a published email, for a
 * mail the caller is writing in the same transaction. Null when there is
 * nowhere to send it.
 */
export async function issueSigningLink({ candidacyId, now }: { candidacyId: number; now: Date }) {
  return writeTransaction(db, async () => {
    const [candidacy] = await signingLinkStatements().candidacy.execute({ id: candidacyId });
    if (!candidacy?.email || candidacy.status !== "standing") return null;
    const { token, hash } = generateToken();
    const expiresAt = new Date(now.getTime() + SIGNING_LINK_LIFETIME_MS).toISOString();
    await signingLinkStatements().insert.execute({
      candidacyId,
      hash,
      sentTo: candidacy.email,
      expiresAt,
      createdAt: now.toISOString(),
    });
    return { url: publicUrl(paths.signPledge(token)), expiresAt };
  });
}

/**
 * "Are you this candidate? Email me a signing link": the link goes only to
 * the published address, never one typed in a form. The caller shows the same
 * page whatever happens here, so no one learns whether an address is on file.
 * Throws RateLimited when the client or the candidate is over its limit; both
 * are counted before looking at the address, so a 429 says nothing about it.
 */
export async function requestSigningLink({
  candidacyId,
  clientIp,
  now,
}: {
  candidacyId: number;
  clientIp: string;
  now: Date;
}) {
  await writeTransaction(db, async () => {
    const candidacy = await findLinkRecipient({ candidacyId });
    await enforceRateLimits({
      hits: [
        {
          key: `signing-link-ip:${await clientHash({ value: clientIp, now })}`,
          ...rateLimitPolicy.signingLinkPerClient,
        },
      ],
      now,
    });
    // Withdrawn candidates cannot sign, so there is nothing to send (or count).
    if (!candidacy || candidacy.status !== "standing") return;
    await enforceRateLimits({
      hits: [{ key: `signing-link:${candidacyId}`, ...rateLimitPolicy.signingLinkPerCandidate }],
      now,
    });
    if (!candidacy.email) return;
    await mailSigningLink({ candidacyId, candidacy: { ...candidacy, email: candidacy.email }, now });
  });
}

/**
 * Staff press "Send a fresh signing link" on a candidate's console page. As
 * with the public button, it goes only to the published address. It counts
 * against the same per-candidate hourly limit, which protects the candidate's
 * inbox whoever presses; staff are told, not shown a 429.
 */
export async function sendSigningLinkByStaff({
  candidacyId,
  actor,
  now,
}: {
  candidacyId: number;
  actor: string;
  now: Date;
}): Promise<{ status: "sent"; outboxId: number } | { status: "no-email" | "withdrawn" | "unknown" | "too-many" }> {
  return writeTransaction(db, async () => {
    const candidacy = await findLinkRecipient({ candidacyId });
    if (!candidacy) return { status: "unknown" as const };
    if (candidacy.status !== "standing") return { status: "withdrawn" as const };
    if (!candidacy.email) return { status: "no-email" as const };
    const limit = await hitRateLimit({
      key: `signing-link:${candidacyId}`,
      ...rateLimitPolicy.signingLinkPerCandidate,
      now,
    });
    if (!limit.within) return { status: "too-many" as const };
    const sent = await mailSigningLink({ candidacyId, candidacy: { ...candidacy, email: candidacy.email }, now });
    if (!sent) return { status: "no-email" as const };
    await recordAudit({
      actor,
      action: "signing-link.send",
      subject: `candidacy:${candidacyId}`,
      details: { outbox: `outbox:${sent.outboxId}`, expiresAt: sent.expiresAt },
      now,
    });
    return { status: "sent" as const, outboxId: sent.outboxId };
  });
}

async function findLinkRecipient({ candidacyId }: { candidacyId: number }) {
  return (
    await db
      .select({
        name: candidacies.name,
        email: candidacies.email,
        status: candidacies.status,
        constituencyName: constituencies.name,
      })
      .from(candidacies)
      .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
      .where(eq(candidacies.id, candidacyId))
      .limit(1)
  )[0];
}

// Call inside a write transaction: a new link, and its mail to the published address.
async function mailSigningLink({
  candidacyId,
  candidacy,
  now,
}: {
  candidacyId: number;
  candidacy: { name: string; email: string; constituencyName: string };
  now: Date;
}) {
  const campaign = await requireCampaign();
  const link = await issueSigningLink({ candidacyId, now });
  if (!link) return null;
  const mail = signingLinkMail({
    campaign,
    candidateName: candidacy.name,
    constituencyName: candidacy.constituencyName,
    signingUrl: link.url,
    expiresOn: shortDate(link.expiresAt),
    publicUrl: env.PUBLIC_URL,
  });
  const outboxId = await enqueueMail({
    kind: "signing-link",
    toAddress: candidacy.email,
    toName: candidacy.name,
    ...mail,
    candidacyId,
    now,
  });
  return { outboxId, expiresAt: link.expiresAt };
}

/** Every open link of these candidacies stops working (their published email changed). */
export async function revokeSigningLinks({ candidacyIds, now }: { candidacyIds: number[]; now: Date }) {
  return writeTransaction(db, async () => {
    for (const batch of inBatches(candidacyIds)) {
      await db
        .update(signingTokens)
        .set({ revokedAt: now.toISOString() })
        .where(and(inArray(signingTokens.candidacyId, batch), isNull(signingTokens.revokedAt)));
    }
  });
}

/** The same, for candidacies named by election and Democracy Club person id (as imports know them). */
export async function revokeSigningLinksOfPeople({
  electionId,
  personIds,
  now,
}: {
  electionId: string;
  personIds: string[];
  now: Date;
}) {
  for (const batch of inBatches(personIds)) {
    const ids = (
      await db
        .select({ id: candidacies.id })
        .from(candidacies)
        .where(and(eq(candidacies.electionId, electionId), inArray(candidacies.personId, batch)))
    ).map((c) => c.id);
    await revokeSigningLinks({ candidacyIds: ids, now });
  }
}

type TokenCheck =
  | { status: "valid"; candidacyId: number }
  | { status: "expired" | "revoked" | "withdrawn"; candidacyId: number }
  | { status: "unknown" };

export async function checkSigningToken({ token, now }: { token: string; now: Date }): Promise<TokenCheck> {
  if (!looksLikeToken(token)) return { status: "unknown" };
  const row = (
    await db
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
      .limit(1)
  )[0];
  if (!row) return { status: "unknown" };
  // A link sent to an address that is no longer the published one is dead
  // even if the revocation at import time was somehow missed.
  if (row.revokedAt || row.sentTo !== row.email) return { status: "revoked", candidacyId: row.candidacyId };
  if (row.status !== "standing") return { status: "withdrawn", candidacyId: row.candidacyId };
  if (row.expiresAt <= now.toISOString()) return { status: "expired", candidacyId: row.candidacyId };
  return { status: "valid", candidacyId: row.candidacyId };
}

/** What the signing page shows for a link; reading it changes nothing. */
export async function findSigningPage({ token, now }: { token: string; now: Date }) {
  const check = await checkSigningToken({ token, now });
  if (check.status === "unknown") return { status: "unknown" as const };
  const candidacy = await findCandidacySummary({ candidacyId: check.candidacyId });
  if (!candidacy) return { status: "unknown" as const };
  if (check.status !== "valid") return { status: check.status, candidacy };
  return { status: "valid" as const, candidacy, pledge: await findCurrentPledge({ candidacyId: check.candidacyId }) };
}

/**
 * Records a candidate's answers from their signing link. Identical answers
 * change nothing and add no history; anything else updates the current pledge,
 * appends to the history, mails the published address, and tells supporters
 * who asked this candidate and wanted updates (once each) that they signed.
 */
export async function recordPledgeFromLink({
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
  return writeTransaction(db, async () => {
    const check = await checkSigningToken({ token, now });
    if (check.status !== "valid") return { status: check.status };
    const changed = await savePledge({
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
