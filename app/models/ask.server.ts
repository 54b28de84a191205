// Asks: a supporter's request to their candidates, from the form through the
// confirmation link to the mails it sends; unconfirmed asks expire.
import { and, asc, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import { askRecipients, asks, candidacies, constituencies, outbox } from "#db/schema";
import { askDeliveries } from "#db/enums";
import { lockRows, writeTransaction, preparedPerConnection } from "#db/index";
import { findCampaign, requireCampaign } from "~/models/campaign.server";
import { blockListHash, clientHash } from "~/models/client-hash.server";
import { countCandidateMailsInLastHour, enqueueMail } from "~/models/outbox.server";
import { candidacyAnswersJson, hasSignedEveryPoint } from "~/models/pledge-status.server";
import { askEmailKey, enforceRateLimits, rateLimitPolicy } from "~/models/rate-limit.server";
import { holdReasonsFor, reviewRulesOf } from "~/models/review.server";
import { issueSigningLink } from "~/models/signing-link.server";
import { isSuppressed } from "~/models/suppression.server";
import { currentConsentTextIds, recordConsentsGiven, type ConsentTextIds } from "~/models/consent.server";
import { issueSupporterLink } from "~/models/supporter-link.server";
import { alreadyAskedMail, candidateAskMail, confirmAskMail } from "~/mail-wording/ask-mails";
import { db } from "~/utils/db.server";
import { env, publicUrl } from "~/utils/env.server";
import { shortDate } from "~/utils/names";
import { paths } from "~/utils/paths";
import { ASK_LIFETIME_MS } from "~/utils/lifetimes";
import { generateToken, hashToken, looksLikeToken, sha256Hex } from "~/utils/tokens.server";
import { inBatches } from "~/utils/batches";
import { networkOf } from "~/utils/client-network.server";
import { isLoopbackAddress } from "~/utils/request.server";

export type NewAsk = {
  constituencyCode: string;
  name: string;
  email: string;
  postcode: string;
  personalMessage: string | null;
  wordingId: string;
  showOnPublicList: boolean;
  wantsUpdates: boolean;
  candidacyIds: number[];
  /**
   * The consent wordings the form showed, by version (findShownConsentTexts
   * checked them). Absent: the current ones, for a caller that shows none.
   */
  consentTextIds?: ConsentTextIds;
};

function prepareAskableCandidates() {
  return db
    .select({
      id: candidacies.id,
      personId: candidacies.personId,
      name: candidacies.name,
      hasEmail: sql<number>`${candidacies.email} is not null`.mapWith(Number),
      answers: candidacyAnswersJson,
    })
    .from(candidacies)
    .where(
      and(
        eq(candidacies.electionId, sql.placeholder("electionId")),
        eq(candidacies.constituencyCode, sql.placeholder("constituencyCode")),
        eq(candidacies.status, "standing"),
      ),
    )
    .orderBy(asc(candidacies.name))
    .prepare();
}
// Run by the ask form and by every submission: prepared once, on first use
// (otherwise drizzle builds a query's SQL, and SQLite compiles it, on every call).
const askableCandidatesQuery = preparedPerConnection(db, prepareAskableCandidates);

/** The campaign's election's standing candidates in a constituency, and whether they can still be asked. */
export async function listAskableCandidates({ constituencyCode }: { constituencyCode: string }) {
  const campaign = await findCampaign();
  if (!campaign) return [];
  return (await askableCandidatesQuery().execute({ electionId: campaign.electionId, constituencyCode })).map(
    ({ answers, ...c }) => ({
      ...c,
      hasEmail: Boolean(c.hasEmail),
      signedEveryPoint: hasSignedEveryPoint({ answers, points: campaign.points }),
    }),
  );
}

function prepareSubmitQueries() {
  return {
    existing: db
      .select({
        id: asks.id,
        status: asks.status,
        createdAt: asks.createdAt,
        confirmedAt: asks.confirmedAt,
        tokenExpiresAt: asks.tokenExpiresAt,
      })
      .from(asks)
      .where(and(eq(asks.electionId, sql.placeholder("electionId")), eq(asks.email, sql.placeholder("email"))))
      .orderBy(desc(asks.createdAt))
      .prepare(),
    constituencyName: db
      .select({ name: constituencies.name })
      .from(constituencies)
      .where(eq(constituencies.gssCode, sql.placeholder("code")))
      .prepare(),
  };
}
// Two of the lookups every submission makes, prepared once, on first use
// (otherwise drizzle builds a query's SQL, and SQLite compiles it, on every call).
const submitQueries = preparedPerConnection(db, prepareSubmitQueries);

/**
 * Records an ask and mails the supporter a confirmation link; nothing goes to
 * candidates yet. The same email asking again gets the same outcome on screen
 * (so no one can probe who has asked) and an "already asked" mail instead.
 * Throws RateLimited (with when to retry) when the client or the address is
 * over its limit.
 */
export async function submitAsk({ ask, clientIp, now }: { ask: NewAsk; clientIp: string; now: Date }) {
  const campaign = await requireCampaign();
  const email = ask.email.toLowerCase();
  return writeTransaction(db, async () => {
    // Under the day's key: these hourly counts start again at 00:00 UTC.
    const ipKey = await clientHash({ value: clientIp, now });
    await enforceRateLimits({
      hits: [
        { key: `ask-ip-burst:${ipKey}`, ...rateLimitPolicy.askClientBurst },
        { key: `ask-ip-hour:${ipKey}`, ...rateLimitPolicy.askClientSustained },
      ],
      now,
    });
    await enforceRateLimits({ hits: [{ key: await askEmailKey(email), ...rateLimitPolicy.askEmailMails }], now });
    const [existing] = await submitQueries().existing.execute({ electionId: campaign.electionId, email });
    if (existing) {
      // The link is for the ask they already made: the mail goes to its address.
      const link = await issueSupporterLink({ askId: existing.id, now });
      const mail = alreadyAskedMail({
        campaign,
        supporterName: ask.name,
        askedOn: shortDate(existing.confirmedAt ?? existing.createdAt),
        confirmed: existing.status === "confirmed",
        expiresOn: existing.tokenExpiresAt ? shortDate(existing.tokenExpiresAt) : null,
        publicUrl: env.PUBLIC_URL,
        manageUrl: link.manageUrl,
      });
      await enqueueMail({
        kind: "ask-already",
        toAddress: email,
        toName: ask.name,
        replyTo: null,
        ...mail,
        listUnsubscribe: link.listUnsubscribe,
        askId: null,
        candidacyId: null,
        now,
      });
      return { outcome: "already-asked" as const };
    }

    const candidates = (
      await db
        .select({ id: candidacies.id, name: candidacies.name, answers: candidacyAnswersJson })
        .from(candidacies)
        .where(
          and(
            inArray(candidacies.id, ask.candidacyIds),
            eq(candidacies.electionId, campaign.electionId),
            eq(candidacies.constituencyCode, ask.constituencyCode),
            eq(candidacies.status, "standing"),
          ),
        )
    ).filter((c) => !hasSignedEveryPoint({ answers: c.answers, points: campaign.points }));
    if (candidates.length === 0)
      throw new Error("An ask needs at least one candidate in its constituency who has not signed");
    const [constituency] = await submitQueries().constituencyName.execute({ code: ask.constituencyCode });

    const { token, hash } = generateToken();
    const expiresAt = new Date(now.getTime() + ASK_LIFETIME_MS);
    // Every client of a server with an untrusted proxy in front (or of a
    // laptop) is 127.0.0.1: such an address says nothing about who asked, so
    // the review queue's volume rules and address blocks leave it alone.
    const sayNothing = isLoopbackAddress(clientIp) || clientIp === "unknown";
    const network = sayNothing ? null : networkOf(clientIp);
    // Someone erased at their request, who asked not to be signed up again,
    // can still ask; they just get no updates. The form says nothing of
    // it: saying so would tell anyone typing an address that it was erased.
    const wantsUpdates = ask.wantsUpdates && !(await isSuppressed({ email }));
    const inserted = (
      await db
        .insert(asks)
        .values({
          electionId: campaign.electionId,
          constituencyCode: ask.constituencyCode,
          name: ask.name,
          email,
          postcode: ask.postcode,
          personalMessage: ask.personalMessage,
          wordingId: ask.wordingId,
          showOnPublicList: ask.showOnPublicList,
          wantsUpdates,
          status: "pending",
          tokenHash: hash,
          tokenExpiresAt: expiresAt.toISOString(),
          // For the review queue's rules, hashed like the rate-limit keys.
          clientAddressHash: sayNothing ? null : ipKey,
          clientNetworkHash: network ? await clientHash({ value: network, now }) : null,
          clientAddressBlockHash: sayNothing ? null : await blockListHash(clientIp),
          clientNetworkBlockHash: network ? await blockListHash(network) : null,
          messageFingerprint: messageFingerprint(ask.personalMessage),
          createdAt: now.toISOString(),
        })
        .returning({ id: asks.id })
    )[0]!;
    await db.insert(askRecipients).values(candidates.map((c) => ({ askId: inserted.id, candidacyId: c.id })));
    // Each consent with the wording shown; they go with the ask if it is never confirmed.
    const textIds = ask.consentTextIds ?? (await currentConsentTextIds());
    await recordConsentsGiven({
      askId: inserted.id,
      given: [
        { purpose: "send-ask", consentTextId: textIds["send-ask"] },
        ...(ask.showOnPublicList ? [{ purpose: "public-list" as const, consentTextId: textIds["public-list"] }] : []),
        ...(wantsUpdates ? [{ purpose: "updates" as const, consentTextId: textIds.updates }] : []),
      ],
      method: "ask-form",
      now,
    });
    const link = await issueSupporterLink({ askId: inserted.id, now });
    const mail = confirmAskMail({
      campaign,
      supporterName: ask.name,
      constituencyName: constituency?.name ?? "",
      candidateNames: candidates.map((c) => c.name),
      confirmUrl: publicUrl(paths.confirmAsk(token)),
      expiresOn: shortDate(expiresAt.toISOString()),
      publicUrl: env.PUBLIC_URL,
      manageUrl: link.manageUrl,
      reminder: false,
    });
    await enqueueMail({
      kind: "ask-confirmation",
      toAddress: email,
      toName: ask.name,
      replyTo: null,
      ...mail,
      listUnsubscribe: link.listUnsubscribe,
      askId: inserted.id,
      candidacyId: null,
      now,
    });
    return { outcome: "created" as const };
  });
}

// Short lines ("Please sign.", "I agree with this.") recur among real
// supporters by chance; a pasted paragraph is longer. Only those are compared.
const FINGERPRINT_MIN_LENGTH = 60;

/**
 * The same paragraph pasted into many asks has the same fingerprint, whatever
 * its case or spacing; no paragraph (or a short line), none.
 */
function messageFingerprint(message: string | null) {
  const evened = message?.toLowerCase().replace(/\s+/g, " ").trim();
  return evened && evened.length >= FINGERPRINT_MIN_LENGTH ? sha256Hex(evened) : null;
}

/** What the confirmation page shows for a link, or why the link does not work. */
export async function findAskByToken({ token, now }: { token: string; now: Date }) {
  if (!looksLikeToken(token)) return null;
  const ask = (
    await db
      .select({
        id: asks.id,
        name: asks.name,
        status: asks.status,
        tokenExpiresAt: asks.tokenExpiresAt,
        constituencyName: constituencies.name,
        constituencySlug: constituencies.slug,
      })
      .from(asks)
      .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
      .where(eq(asks.tokenHash, hashToken(token)))
      .limit(1)
  )[0];
  if (!ask || ask.status !== "pending" || !ask.tokenExpiresAt || ask.tokenExpiresAt <= now.toISOString()) return null;
  const recipients = await db
    .select({ name: candidacies.name })
    .from(askRecipients)
    .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
    .where(eq(askRecipients.askId, ask.id))
    .orderBy(asc(candidacies.name));
  return {
    id: ask.id,
    name: ask.name,
    constituencyName: ask.constituencyName,
    candidateNames: recipients.map((r) => r.name),
  };
}

/**
 * Whether an ask went ahead, for a confirmation page whose link no longer
 * works (a second tab, a second press): "already sent" or "expired".
 */
export async function findAskOutcome({ askId }: { askId: number }) {
  const ask = (
    await db
      .select({ status: asks.status, constituencySlug: constituencies.slug })
      .from(asks)
      .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
      .where(eq(asks.id, askId))
      .limit(1)
  )[0];
  // Held looks like confirmed from outside: the page never says an ask was held.
  return ask?.status === "confirmed" || ask?.status === "held"
    ? { status: "confirmed" as const, constituencySlug: ask.constituencySlug }
    : null;
}

function prepareConfirmQueries() {
  return {
    ask: db
      .select()
      .from(asks)
      .where(
        and(
          eq(asks.tokenHash, sql.placeholder("hash")),
          eq(asks.status, "pending"),
          gt(asks.tokenExpiresAt, sql.placeholder("now")),
        ),
      )
      .prepare(),
    // set() takes a placeholder only wrapped in sql`` (drizzle's types).
    // A sent ask needs its block-list hashes no more: nothing can block from it.
    confirm: db
      .update(asks)
      .set({
        status: "confirmed",
        confirmedAt: sql`${sql.placeholder("now")}`,
        tokenHash: null,
        tokenExpiresAt: null,
        clientAddressBlockHash: null,
        clientNetworkBlockHash: null,
      })
      .where(eq(asks.id, sql.placeholder("id")))
      .prepare(),
    constituency: db
      .select({ name: constituencies.name, slug: constituencies.slug })
      .from(constituencies)
      .where(eq(constituencies.gssCode, sql.placeholder("code")))
      .prepare(),
    recipients: db
      .select({
        candidacyId: candidacies.id,
        name: candidacies.name,
        email: candidacies.email,
        answers: candidacyAnswersJson,
      })
      .from(askRecipients)
      .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
      .where(eq(askRecipients.askId, sql.placeholder("askId")))
      .prepare(),
    delivery: db
      .update(askRecipients)
      .set({ delivery: sql`${sql.placeholder("delivery")}`, outboxId: sql`${sql.placeholder("outboxId")}` })
      .where(
        and(
          eq(askRecipients.askId, sql.placeholder("askId")),
          eq(askRecipients.candidacyId, sql.placeholder("candidacyId")),
        ),
      )
      .prepare(),
  };
}

// Every confirmation runs these, once or once per candidate, so they are
// prepared once (drizzle builds and SQLite compiles a query anew on every
// call: ~100 µs, against ~14 µs to run a prepared one); on first use, as a fresh database has no tables yet.
const confirmQueries = preparedPerConnection(db, prepareConfirmQueries);

/**
 * Confirms an ask from its link: in one transaction the ask becomes confirmed
 * (or held for review, its mails written as held: app/models/review.server.ts),
 * the link stops working, and each candidate's mail is written to the outbox —
 * or, above the campaign's hourly cap for that candidate, left for the next
 * digest; candidates with no published email have the ask recorded only.
 */
export async function confirmAsk({ token, now }: { token: string; now: Date }) {
  if (!looksLikeToken(token)) return null;
  const campaign = await requireCampaign();
  return writeTransaction(db, async () => {
    const q = confirmQueries();
    // Two confirmations of one link at once (two processes on PostgreSQL):
    // the second waits here, then finds the ask no longer pending.
    await lockRows(db, asks.id, eq(asks.tokenHash, hashToken(token)));
    const [ask] = await q.ask.execute({ hash: hashToken(token), now: now.toISOString() });
    if (!ask) return null;
    const holdReasons = await holdReasonsFor({ ask, rules: reviewRulesOf(campaign) });
    const held = holdReasons.length > 0;
    await q.confirm.execute({ now: now.toISOString(), id: ask.id });
    // Held: confirmed by its supporter, but its mails wait for a person, who
    // may block what it came from (so it keeps its block-list hashes).
    if (held)
      await db
        .update(asks)
        .set({
          status: "held",
          heldAt: now.toISOString(),
          holdReasons,
          clientAddressBlockHash: ask.clientAddressBlockHash,
          clientNetworkBlockHash: ask.clientNetworkBlockHash,
        })
        .where(eq(asks.id, ask.id));
    const [constituency] = await q.constituency.execute({ code: ask.constituencyCode });
    const wording = campaign.wordingVariants.find((w) => w.id === ask.wordingId) ?? campaign.wordingVariants[0];
    // The hourly cap counts each candidate's mails then writes one more:
    // confirmations naming the same candidates take turns from here.
    await lockRows(
      db,
      candidacies.id,
      sql`${candidacies.id} in (select ${askRecipients.candidacyId} from ${askRecipients} where ${askRecipients.askId} = ${ask.id})`,
    );
    const recipients = (await q.recipients.execute({ askId: ask.id })).map(({ answers, ...r }) => ({
      ...r,
      signedEveryPoint: hasSignedEveryPoint({ answers, points: campaign.points }),
    }));
    const withoutEmail: { candidacyId: number; name: string }[] = [];
    for (const recipient of recipients) {
      const set = (delivery: (typeof askDeliveries)[number], outboxId: number | null = null) =>
        q.delivery.execute({ delivery, outboxId, askId: ask.id, candidacyId: recipient.candidacyId });
      // Signed everything since the ask was made: no more ask mails to them.
      if (recipient.signedEveryPoint) {
        await set("already-signed");
        continue;
      }
      const signingLink = recipient.email ? await issueSigningLink({ candidacyId: recipient.candidacyId, now }) : null;
      if (!recipient.email || !signingLink) {
        withoutEmail.push({ candidacyId: recipient.candidacyId, name: recipient.name });
        await set("no-email");
        continue;
      }
      if (
        (await countCandidateMailsInLastHour({ candidacyId: recipient.candidacyId, now })) >= campaign.askHourlyCap ||
        !wording
      ) {
        await set("digest");
        continue;
      }
      const mail = candidateAskMail({
        campaign,
        wording,
        candidateName: recipient.name,
        constituencyName: constituency?.name ?? "",
        supporterName: ask.name,
        postcode: ask.postcode,
        personalMessage: ask.personalMessage,
        pledgeUrl: signingLink.url,
        publicUrl: env.PUBLIC_URL,
      });
      const outboxId = await enqueueMail({
        kind: "candidate-ask",
        toAddress: recipient.email,
        toName: recipient.name,
        replyTo: ask.email,
        ...mail,
        askId: ask.id,
        candidacyId: recipient.candidacyId,
        status: held ? "held" : "queued",
        now,
      });
      await set("mail", outboxId);
    }
    return {
      constituencyName: constituency?.name ?? "",
      constituencySlug: constituency?.slug ?? "",
      postcode: ask.postcode,
      sentTo: recipients.filter((r) => r.email && !r.signedEveryPoint).map((r) => r.name),
      withoutEmail,
    };
  });
}

/**
 * Deletes asks never confirmed within their week, with the mails that carried
 * their links: we keep nothing about people who did not go ahead.
 */
export async function deleteExpiredAsks({ now }: { now: Date }) {
  return writeTransaction(db, async () => {
    const expired = (
      await db
        .select({ id: asks.id })
        .from(asks)
        .where(
          and(eq(asks.status, "pending"), lte(asks.createdAt, new Date(now.getTime() - ASK_LIFETIME_MS).toISOString())),
        )
    ).map((a) => a.id);
    for (const ids of inBatches(expired)) {
      // Their local mailbox copies go with them (the mailbox's foreign key cascades).
      await db.delete(outbox).where(inArray(outbox.askId, ids));
      await db.delete(asks).where(inArray(asks.id, ids));
    }
    return expired.length;
  });
}
