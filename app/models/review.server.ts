// The review queue: "hold, don't reject". An ask that looks like abuse at
// confirmation is held, its mails written but not sent, until an organiser
// releases it (the mails go out) or rejects it (nothing is sent; the
// supporter is told neutrally). The rules are WriteToThem's, with thresholds
// from the campaign settings.
import { isDisposableEmailDomain } from "disposable-email-domains-js";
import { and, asc, count, eq, gte, isNotNull, lt, lte, ne, notExists, notInArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { HoldReason } from "#db/enums";
import { writeTransaction, changedRows } from "#db/index";
import { askRecipients, asks, campaigns, candidacies, constituencies, outbox, type ReviewRules } from "#db/schema";
import { isoPlusSeconds } from "#db/dialect";
import { askNotSentMail } from "~/mail-wording/ask-mails";
import { recordAudit } from "~/models/audit.server";
import { blockListMatches } from "~/models/block-list.server";
import { recordSettingsVersion, requireCampaign } from "~/models/campaign.server";
import { enqueueMail } from "~/models/outbox.server";
import { issueSupporterLink } from "~/models/supporter-link.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { HOUR } from "~/utils/time";

/** The thresholds a campaign starts with; its settings may change any of them. */
export const defaultReviewRules: ReviewRules = {
  // A household or an office shares one address: a few asks an hour from one
  // is normal, a script's dozens are not.
  maxAsksPerAddressPerHour: 5,
  maxAsksPerNetworkPerHour: 20,
  maxAsksWithSameMessage: 10,
  holdLinks: true,
  holdDisposableDomains: true,
};

export function reviewRulesOf(campaign: { reviewRules: Partial<ReviewRules> }): ReviewRules {
  return { ...defaultReviewRules, ...campaign.reviewRules };
}

// A web address in the personal paragraph: a scheme, "www.", or a bare
// domain with a path. Candidates are asked to follow no links from strangers.
const linkPattern = /\b(?:https?:\/\/|www\.)\S|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\/\S/i;

export function containsLink(text: string) {
  return linkPattern.test(text);
}

type AskForReview = {
  id: number;
  email: string;
  personalMessage: string | null;
  clientAddressHash: string | null;
  clientNetworkHash: string | null;
  clientAddressBlockHash: string | null;
  clientNetworkBlockHash: string | null;
  messageFingerprint: string | null;
  createdAt: string;
};

// The volume rules count the asks made from one address or network in this
// long up to the one being confirmed.
const VOLUME_WINDOW_MS = HOUR;

/**
 * Why an ask should be held, in the order staff read them; empty if it
 * should be sent. Volume counts every ask made from the same address or
 * network in the hour up to this one (this one included), whatever became
 * of them, so a burst is caught however its confirmations are spread out.
 */
export async function holdReasonsFor({ ask, rules }: { ask: AskForReview; rules: ReviewRules }): Promise<HoldReason[]> {
  const reasons: HoldReason[] = [];
  const hourBefore = new Date(Date.parse(ask.createdAt) - VOLUME_WINDOW_MS).toISOString();
  const madeFrom = async (column: typeof asks.clientAddressHash | typeof asks.clientNetworkHash, key: string) =>
    (
      await db
        .select({ n: count() })
        .from(asks)
        .where(and(eq(column, key), gte(asks.createdAt, hourBefore), lte(asks.createdAt, ask.createdAt)))
        .limit(1)
    )[0]?.n ?? 0;
  if (
    ask.clientAddressHash &&
    (await madeFrom(asks.clientAddressHash, ask.clientAddressHash)) > rules.maxAsksPerAddressPerHour
  )
    reasons.push("address-volume");
  if (
    ask.clientNetworkHash &&
    (await madeFrom(asks.clientNetworkHash, ask.clientNetworkHash)) > rules.maxAsksPerNetworkPerHour
  )
    reasons.push("network-volume");
  const domain = ask.email.split("@").at(-1) ?? "";
  if (rules.holdDisposableDomains && isDisposableEmailDomain(domain)) reasons.push("disposable-domain");
  if (ask.messageFingerprint) {
    const same =
      (
        await db.select({ n: count() }).from(asks).where(eq(asks.messageFingerprint, ask.messageFingerprint)).limit(1)
      )[0]?.n ?? 0;
    if (same > rules.maxAsksWithSameMessage) reasons.push("repeated-message");
  }
  if (rules.holdLinks && ask.personalMessage && containsLink(ask.personalMessage)) reasons.push("link-in-message");
  for (const kind of await blockListMatches(ask)) reasons.push(`blocked-${kind}`);
  return reasons;
}

// What an organiser needs to decide on a held ask.
function selectHeldAsks() {
  return db
    .select({
      id: asks.id,
      name: asks.name,
      email: asks.email,
      postcode: asks.postcode,
      personalMessage: asks.personalMessage,
      holdReasons: asks.holdReasons,
      heldAt: asks.heldAt,
      constituencyName: constituencies.name,
      recipients:
        sql<number>`(select count(*) from ${askRecipients} where ${askRecipients.askId} = ${asks.id})`.mapWith(Number),
    })
    .from(asks)
    .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode));
}

/** Held asks, oldest first. */
export async function listHeldAsks() {
  return await selectHeldAsks().where(eq(asks.status, "held")).orderBy(asc(asks.heldAt), asc(asks.id));
}

/** One held ask with the candidates its mails are for; null once it is decided. */
export async function findHeldAsk({ id }: { id: number }) {
  const ask = (
    await selectHeldAsks()
      .where(and(eq(asks.id, id), eq(asks.status, "held")))
      .limit(1)
  )[0];
  if (!ask) return null;
  const candidates = await db
    .select({ name: candidacies.name, delivery: askRecipients.delivery })
    .from(askRecipients)
    .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
    .where(eq(askRecipients.askId, id))
    .orderBy(asc(candidacies.name));
  return { ...ask, candidates };
}

type Reviewer = { id: number; email: string };

// A decided ask can no longer be blocked from: its block-list hashes go.
const noBlockListHashes = { clientAddressBlockHash: null, clientNetworkBlockHash: null };

/** Sends a held ask: its mails are queued as if it had never been held. */
export async function releaseAsk({ askId, reviewer, now }: { askId: number; reviewer: Reviewer; now: Date }) {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    const ask = (
      await db
        .update(asks)
        .set({ status: "confirmed", reviewedAt: at, reviewedBy: reviewer.id, ...noBlockListHashes })
        .where(and(eq(asks.id, askId), eq(asks.status, "held")))
        .returning({ holdReasons: asks.holdReasons })
    )[0]!;
    if (!ask) return { outcome: "not-held" as const };
    const mails = changedRows(
      await db
        .update(outbox)
        .set({ status: "queued", nextAttemptAt: at })
        .where(and(eq(outbox.askId, askId), eq(outbox.status, "held"))),
    );
    await recordAudit({
      actor: reviewer.email,
      action: "review.release",
      subject: `ask:${askId}`,
      details: { reasons: ask.holdReasons, mails },
      now,
    });
    return { outcome: "released" as const, mails };
  });
}

/**
 * Does not send a held ask: its mails are cancelled, it never counts or shows
 * publicly, and the supporter gets a short, neutral note.
 */
export async function rejectAsk({ askId, reviewer, now }: { askId: number; reviewer: Reviewer; now: Date }) {
  const campaign = await requireCampaign();
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    const ask = (
      await db
        .update(asks)
        .set({ status: "rejected", reviewedAt: at, reviewedBy: reviewer.id, ...noBlockListHashes })
        .where(and(eq(asks.id, askId), eq(asks.status, "held")))
        .returning({
          name: asks.name,
          email: asks.email,
          holdReasons: asks.holdReasons,
          constituencyCode: asks.constituencyCode,
        })
    )[0]!;
    if (!ask) return { outcome: "not-held" as const };
    const cancelled = changedRows(
      await db
        .update(outbox)
        .set({ status: "cancelled" })
        .where(and(eq(outbox.askId, askId), eq(outbox.status, "held"))),
    );
    const constituency = (
      await db
        .select({ name: constituencies.name })
        .from(constituencies)
        .where(eq(constituencies.gssCode, ask.constituencyCode))
        .limit(1)
    )[0];
    const link = await issueSupporterLink({ askId, now });
    await enqueueMail({
      kind: "ask-not-sent",
      toAddress: ask.email,
      toName: ask.name,
      replyTo: campaign.fromEmail,
      ...askNotSentMail({
        campaign,
        supporterName: ask.name,
        constituencyName: constituency?.name ?? "",
        publicUrl: env.PUBLIC_URL,
        manageUrl: link.manageUrl,
      }),
      listUnsubscribe: link.listUnsubscribe,
      askId,
      now,
    });
    await recordAudit({
      actor: reviewer.email,
      action: "review.reject",
      subject: `ask:${askId}`,
      details: { reasons: ask.holdReasons, cancelledMails: cancelled },
      now,
    });
    return { outcome: "rejected" as const };
  });
}

/** The public supporters list as organisers moderate it: newest first, hidden ones included. */
export async function listPublicListEntries({ limit = 100 }: { limit?: number } = {}) {
  return await db
    .select({
      id: asks.id,
      name: asks.name,
      confirmedAt: asks.confirmedAt,
      constituencyName: constituencies.name,
      hidden: asks.hiddenFromPublicList,
    })
    .from(asks)
    .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
    .where(and(eq(asks.status, "confirmed"), eq(asks.showOnPublicList, true)))
    .orderBy(sql`${asks.confirmedAt} desc`)
    .limit(limit);
}

/** Takes an entry off the public supporters list, or puts it back. */
export async function setHiddenFromPublicList({
  askId,
  hidden,
  actor,
  now,
}: {
  askId: number;
  hidden: boolean;
  actor: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const changed = changedRows(
      await db
        .update(asks)
        .set({ hiddenFromPublicList: hidden })
        .where(and(eq(asks.id, askId), ne(asks.hiddenFromPublicList, hidden))),
    );
    if (changed === 0) return { outcome: "unchanged" as const };
    await recordAudit({
      actor,
      action: hidden ? "supporters.hide" : "supporters.show",
      subject: `ask:${askId}`,
      details: {},
      now,
    });
    return { outcome: hidden ? ("hidden" as const) : ("shown" as const) };
  });
}

/**
 * Changes the review queue's thresholds, from the console; audited with what
 * they were and what they became. Rules left out keep their values.
 */
export async function saveReviewRules({ rules, actor, now }: { rules: ReviewRules; actor: string; now: Date }) {
  return writeTransaction(db, async () => {
    const before = reviewRulesOf(await requireCampaign());
    const changed = (Object.keys(rules) as (keyof ReviewRules)[]).filter((key) => rules[key] !== before[key]);
    if (changed.length === 0) return { outcome: "unchanged" as const };
    await db.update(campaigns).set({ reviewRules: rules, updatedAt: now.toISOString() });
    await recordSettingsVersion({ savedBy: actor, now });
    await recordAudit({
      actor,
      action: "settings.review-rules",
      subject: "campaign",
      details: Object.fromEntries(changed.map((key) => [key, { from: before[key], to: rules[key] }])),
      now,
    });
    return { outcome: "saved" as const };
  });
}

/**
 * Forgets the client-address and network hashes of asks made more than
 * `hours` ago, except where a rule may still read them: an ask waiting for
 * its supporter to confirm it (the rules run at confirmation, counting the
 * hour before it was made, so its own hashes and those of asks from the same
 * address or network in that hour are kept), and a held ask (staff may block
 * its address). Returns how many asks were cleared.
 */
export async function clearOldClientHashes({ now, hours }: { now: Date; hours: number }) {
  const waiting = alias(asks, "waiting");
  const before = new Date(now.getTime() - hours * HOUR).toISOString();
  return writeTransaction(db, async () =>
    changedRows(
      await db
        .update(asks)
        .set({ clientAddressHash: null, clientNetworkHash: null })
        .where(
          and(
            lt(asks.createdAt, before),
            or(isNotNull(asks.clientAddressHash), isNotNull(asks.clientNetworkHash)),
            notInArray(asks.status, ["pending", "held"]),
            notExists(
              db
                .select({ one: sql`1` })
                .from(waiting)
                .where(
                  and(
                    eq(waiting.status, "pending"),
                    gte(waiting.createdAt, asks.createdAt),
                    lte(waiting.createdAt, isoPlusSeconds(asks.createdAt, VOLUME_WINDOW_MS / 1000)),
                    or(
                      eq(waiting.clientAddressHash, asks.clientAddressHash),
                      eq(waiting.clientNetworkHash, asks.clientNetworkHash),
                    ),
                  ),
                ),
            ),
          ),
        ),
    ),
  );
}
