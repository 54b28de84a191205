// Supporters' own links: every mail to a supporter carries one, in its footer
// (the "manage my data" page) and in its List-Unsubscribe header (one-click
// unsubscribe, RFC 8058). A link is minted per mail for the ask the mail is
// about, but it acts for the person: every ask under that ask's email, as
// erasure and subject access do (docs/decisions/017-consent-records-and-supporter-links.md).
// Only the token's SHA-256 is kept; the mail's copy is struck out once sent.
import { and, asc, eq, gt, inArray, isNull, lte, ne } from "drizzle-orm";
import { writeTransaction, changedRows } from "#db/index";
import { askRecipients, asks, candidacies, constituencies, outbox, supporterLinks } from "#db/schema";
import type { ConsentMethod } from "#db/enums";
import { listConsentRecords, withdrawConsent } from "~/models/consent.server";
import { eraseSupporter } from "~/models/erasure.server";
import { db } from "~/utils/db.server";
import { publicUrl } from "~/utils/env.server";
import { SUPPORTER_LINK_LIFETIME_MS } from "~/utils/lifetimes";
import { paths } from "~/utils/paths";
import { generateToken, hashToken, looksLikeToken } from "~/utils/tokens.server";

/**
 * A new link for a mail about this ask: the manage page's URL for the footer,
 * and the one-click URL for List-Unsubscribe. Call inside the write
 * transaction that queues the mail.
 */
export async function issueSupporterLink({ askId, now }: { askId: number; now: Date }) {
  return writeTransaction(db, async () => {
    const { token, hash } = generateToken();
    await db.insert(supporterLinks).values({
      askId,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + SUPPORTER_LINK_LIFETIME_MS).toISOString(),
      createdAt: now.toISOString(),
    });
    return { manageUrl: publicUrl(paths.yourData(token)), listUnsubscribe: publicUrl(paths.unsubscribe(token)) };
  });
}

/**
 * Forgets links that no longer work (scheduled by the mail worker): an
 * expired link opens nothing, and a row kept would only tie a token to a
 * supporter for no purpose. Returns how many went.
 */
export async function deleteExpiredSupporterLinks({ now }: { now: Date }) {
  return writeTransaction(db, async () => {
    return changedRows(await db.delete(supporterLinks).where(lte(supporterLinks.expiresAt, now.toISOString())));
  });
}

/** The person a live link is for: the email of its ask, and every ask of theirs not erased. */
async function findPersonByToken({ token, now }: { token: string; now: Date }) {
  if (!looksLikeToken(token)) return null;
  const link = (
    await db
      .select({ email: asks.email })
      .from(supporterLinks)
      .innerJoin(asks, eq(asks.id, supporterLinks.askId))
      .where(
        and(
          eq(supporterLinks.tokenHash, hashToken(token)),
          gt(supporterLinks.expiresAt, now.toISOString()),
          isNull(asks.erasedAt),
          // Erased asks keep an empty email: "" must never stand for a person.
          ne(asks.email, ""),
        ),
      )
      .limit(1)
  )[0];
  if (!link) return null;
  const askIds = (
    await db
      .select({ id: asks.id })
      .from(asks)
      .where(and(eq(asks.email, link.email), isNull(asks.erasedAt)))
      .orderBy(asc(asks.createdAt), asc(asks.id))
  ).map((a) => a.id);
  return { email: link.email, askIds };
}

/** Whether a link works (the one-click page's GET shows its button only then). */
export async function isLiveSupporterLink({ token, now }: { token: string; now: Date }) {
  return (await findPersonByToken({ token, now })) !== null;
}

/** What the manage page shows: everything held about the person, or null for a link that does not work. */
export async function findYourData({ token, now }: { token: string; now: Date }) {
  const person = await findPersonByToken({ token, now });
  if (!person) return null;
  const theirAsks = await db
    .select({
      id: asks.id,
      name: asks.name,
      postcode: asks.postcode,
      personalMessage: asks.personalMessage,
      status: asks.status,
      showOnPublicList: asks.showOnPublicList,
      hiddenFromPublicList: asks.hiddenFromPublicList,
      wantsUpdates: asks.wantsUpdates,
      createdAt: asks.createdAt,
      confirmedAt: asks.confirmedAt,
      constituencyName: constituencies.name,
    })
    .from(asks)
    .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
    .where(inArray(asks.id, person.askIds))
    .orderBy(asc(asks.createdAt), asc(asks.id));
  const recipients = await db
    .select({ askId: askRecipients.askId, name: candidacies.name })
    .from(askRecipients)
    .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
    .where(inArray(askRecipients.askId, person.askIds))
    .orderBy(asc(candidacies.name));
  return {
    email: person.email,
    asks: theirAsks.map((a) => ({
      ...a,
      candidateNames: recipients.filter((r) => r.askId === a.id).map((r) => r.name),
    })),
    consents: await listConsentRecords({ askIds: person.askIds }),
    onPublicList: theirAsks.some((a) => a.showOnPublicList),
    getsUpdates: theirAsks.some((a) => a.wantsUpdates),
  };
}

/**
 * Stops campaign updates for the person (all their asks): each that had them
 * gets a "withdrawn" record, and update mails not yet sent are cancelled.
 * Idempotent: a repeat, or a person who never had updates, changes nothing.
 * Null for a link that does not work.
 */
export async function stopUpdatesByLink({ token, method, now }: { token: string; method: ConsentMethod; now: Date }) {
  return writeTransaction(db, async () => {
    const person = await findPersonByToken({ token, now });
    if (!person) return null;
    const withdrawn = await withdrawConsent({ askIds: person.askIds, purpose: "updates", method, now });
    await db
      .update(outbox)
      .set({ status: "cancelled" })
      .where(
        and(
          inArray(outbox.askId, person.askIds),
          eq(outbox.kind, "candidate-signed"),
          inArray(outbox.status, ["queued", "held"]),
        ),
      );
    return { withdrawn };
  });
}

/** Takes the person's name off the public list of supporters (all their asks), recorded as a withdrawal. */
export async function leavePublicListByLink({ token, now }: { token: string; now: Date }) {
  return writeTransaction(db, async () => {
    const person = await findPersonByToken({ token, now });
    if (!person) return null;
    return {
      withdrawn: await withdrawConsent({ askIds: person.askIds, purpose: "public-list", method: "manage-page", now }),
    };
  });
}

/**
 * Erases everything about the person, at their own request, through the one
 * erasure the staff console uses (so their links and consent records go too).
 * `suppress` keeps a later ask from the address off campaign updates.
 */
export async function eraseByLink({ token, suppress, now }: { token: string; suppress: boolean; now: Date }) {
  const person = await findPersonByToken({ token, now });
  if (!person) return null;
  return eraseSupporter({ email: person.email, reason: "supporter-request", by: "supporter", suppress, now });
}
