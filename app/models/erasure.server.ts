// Erasure: a supporter forgotten for real, at their request, at staff's, or
// by the retention rule after polling day. Their ask rows stay, anonymised
// (name, email and postcode blanked, the rest cleared, status and recipients
// kept), because every public count and the dashboard count ask rows: deleting
// them would change the figures the campaign has already published. Mail not
// yet sent is cancelled; our copies of mail that went are emptied (a mail a
// candidate already has cannot be recalled). secure_delete (db/index.ts) zeroes
// the old bytes, and a WAL checkpoint moves them out of the -wal file.
import { and, eq, inArray, isNull, lte, not, notInArray, or, sql, type SQL } from "drizzle-orm";
import { outboxAboutPerson } from "~/models/outbox.server";
import { askRecipients, asks, mailbox, outbox, rateLimits, supporterLinks } from "#db/schema";
import { writeTransaction, isInTransaction, withWriter, changedRows, engineOf } from "#db/index";
import type { OutboxStatus } from "#db/enums";
import { recordAudit } from "~/models/audit.server";
import { findCampaign } from "~/models/campaign.server";
import { askEmailKey } from "~/models/rate-limit.server";
import { emailKeyHash } from "~/models/client-hash.server";
import { suppressPerson } from "~/models/suppression.server";
import { deleteConsentRecords } from "~/models/consent.server";
import { digestSupporterLine, erasedDigestLine } from "~/mail-wording/ask-mails";
import { db } from "~/utils/db.server";
import { addDays, startOfLondonDay } from "~/utils/london-day";
import { DAY } from "~/utils/time";

export type ErasureReason = "supporter-request" | "staff-request" | "retention";

export type ErasureCounts = {
  /** Ask rows anonymised (or, for a kept contact, trimmed). */
  asks: number;
  /** Mails that had not gone yet, now cancelled. */
  mailsCancelled: number;
  /** Outbox rows emptied of what they said about the person. */
  mailsCleared: number;
  /** Local mailbox copies deleted. */
  mailboxCopies: number;
  /** Rate-limit counters derived from the address, deleted. */
  rateLimitKeys: number;
  /** Consent records of the erased asks, deleted (the wordings, in consent_texts, stay). */
  consentRecords: number;
};

// Nothing of these has left yet. "sending" is included: that attempt may still
// reach the mail server (the pages say so), but no retry will follow it.
const unsentStatuses = ["queued", "sending", "held", "failed"] as const satisfies readonly OutboxStatus[];
// A digest in these names other supporters too: it is cancelled and they are
// gathered into the next one. One being sent is rewritten instead, like a sent one.
const cancellableDigestStatuses: readonly OutboxStatus[] = ["queued", "held", "failed"];

type AskToScrub = { id: number; name: string; personalMessage: string | null; keepContact: boolean };

/**
 * Removes one person's data, inside the caller's write transaction: their
 * asks (all anonymised, or for retention those with updates trimmed of all
 * but name and email), the mails to and about them, their mailbox copies and
 * their rate-limit counter. `keepContact` keeps the mails to them addressed,
 * and those not yet sent going (they still get updates).
 */
async function scrubPerson({
  email,
  asksToScrub,
  keepContact,
  now,
}: {
  email: string;
  asksToScrub: AskToScrub[];
  keepContact: boolean;
  now: Date;
}): Promise<ErasureCounts> {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    const askIds = asksToScrub.map((a) => a.id);
    // One person's asks and mails are a handful of rows (one ask an election;
    // mails to one address are rate limited), so no `in (…)` here needs batches.
    const mails = await db
      .select({ id: outbox.id, status: outbox.status, toAddress: outbox.toAddress })
      .from(outbox)
      .where(outboxAboutPerson({ askIds, email }));
    // A kept contact's mail still to go to them (an update) goes as written;
    // anything else not yet sent is cancelled, and every other row emptied.
    const goesAhead = (m: (typeof mails)[number]) =>
      keepContact && m.toAddress === email && (unsentStatuses as readonly OutboxStatus[]).includes(m.status);
    const unsent = mails
      .filter((m) => !goesAhead(m) && (unsentStatuses as readonly OutboxStatus[]).includes(m.status))
      .map((m) => m.id);
    const toClear = mails.filter((m) => !goesAhead(m)).map((m) => m.id);
    const mailsCancelled =
      unsent.length === 0
        ? 0
        : changedRows(await db.update(outbox).set({ status: "cancelled" }).where(inArray(outbox.id, unsent)));
    if (toClear.length > 0)
      await db
        .update(outbox)
        .set({
          // The right side of each assignment reads the row as it was, so
          // to_name is judged by the old to_address.
          toAddress: keepContact
            ? undefined
            : sql`case when ${outbox.toAddress} = ${email} then '' else ${outbox.toAddress} end`,
          toName: keepContact
            ? undefined
            : sql`case when ${outbox.toAddress} = ${email} then null else ${outbox.toName} end`,
          replyTo: sql`case when ${outbox.replyTo} = ${email} then null else ${outbox.replyTo} end`,
          textBody: "",
          lastError: null,
        })
        .where(inArray(outbox.id, toClear));

    const digests = await scrubDigests({ asksToScrub, keepContact });

    const touched = [...toClear, ...digests.ids];
    const mailboxCopies = changedRows(
      await db
        .delete(mailbox)
        .where(
          or(
            touched.length > 0 ? inArray(mailbox.outboxId, touched) : undefined,
            eq(mailbox.toAddress, email),
            eq(mailbox.replyTo, email),
          ),
        ),
    );

    const rateLimitKeys = changedRows(await db.delete(rateLimits).where(eq(rateLimits.key, await askEmailKey(email))));

    const trimmed = asksToScrub.filter((a) => a.keepContact).map((a) => a.id);
    const erased = asksToScrub.filter((a) => !a.keepContact).map((a) => a.id);
    const notPersonal = {
      postcode: "",
      personalMessage: null,
      clientAddressHash: null,
      clientNetworkHash: null,
      messageFingerprint: null,
    };
    if (trimmed.length > 0) await db.update(asks).set(notPersonal).where(inArray(asks.id, trimmed));
    // A kept contact keeps the records of the consents their updates rest on,
    // and their links to stop them; an erased ask keeps neither.
    const consentRecords = await deleteConsentRecords({ askIds: erased });
    if (erased.length > 0) await db.delete(supporterLinks).where(inArray(supporterLinks.askId, erased));
    if (erased.length > 0)
      await db
        .update(asks)
        .set({
          ...notPersonal,
          name: "",
          email: "",
          showOnPublicList: false,
          wantsUpdates: false,
          tokenHash: null,
          tokenExpiresAt: null,
          // A held ask's mails were just cancelled: it will never go, so it
          // leaves the review queue as a rejected ask does (and counts nowhere).
          status: sql`case when ${asks.status} = 'held' then 'rejected' else ${asks.status} end`,
          reviewedAt: sql`case when ${asks.status} = 'held' then ${at} else ${asks.reviewedAt} end`,
          erasedAt: at,
        })
        .where(inArray(asks.id, erased));

    return {
      asks: asksToScrub.length,
      mailsCancelled: mailsCancelled + digests.cancelled,
      mailsCleared: toClear.length + digests.ids.length,
      mailboxCopies,
      rateLimitKeys,
      consentRecords,
    };
  });
}

/**
 * The digests that named these asks' supporters. One not sent yet is
 * cancelled (unless the contact is kept) and its other supporters are left to
 * the next digest; in one that went, the person's line is replaced, so the
 * others' stay readable.
 */
async function scrubDigests({ asksToScrub, keepContact }: { asksToScrub: AskToScrub[]; keepContact: boolean }) {
  return writeTransaction(db, async () => {
    const askIds = asksToScrub.map((a) => a.id);
    if (askIds.length === 0) return { ids: [], cancelled: 0 };
    const digests = await db
      .selectDistinct({ id: outbox.id, status: outbox.status, textBody: outbox.textBody })
      .from(askRecipients)
      .innerJoin(outbox, eq(outbox.id, askRecipients.outboxId))
      .where(and(inArray(askRecipients.askId, askIds), eq(outbox.kind, "candidate-digest")));
    let cancelled = 0;
    for (const digest of digests) {
      if (!keepContact && cancellableDigestStatuses.includes(digest.status)) {
        await db.update(outbox).set({ status: "cancelled", textBody: "" }).where(eq(outbox.id, digest.id));
        await db
          .update(askRecipients)
          .set({ outboxId: null })
          .where(and(eq(askRecipients.outboxId, digest.id), notInArray(askRecipients.askId, askIds)));
        cancelled++;
        continue;
      }
      const lines = digest.textBody.split("\n");
      for (const ask of asksToScrub) {
        const at = lines.indexOf(digestSupporterLine(ask));
        if (at === -1) continue;
        lines[at] = ask.keepContact ? digestSupporterLine({ name: ask.name, personalMessage: null }) : erasedDigestLine;
      }
      await db
        .update(outbox)
        .set({ textBody: lines.join("\n") })
        .where(eq(outbox.id, digest.id));
    }
    return { ids: digests.map((d) => d.id), cancelled };
  });
}

/**
 * Copies what the WAL holds into the database file and empties the WAL, so
 * the bytes an erasure overwrote are in neither. Waits (busy_timeout) for
 * readers; false if one still held an old snapshot, when the next erasure's
 * checkpoint finishes the job.
 */
async function checkpointWal() {
  // PostgreSQL keeps no WAL of ours to empty: what it leaves in its files until
  // vacuum reuses the space is the operator's (README, "Running for real").
  if (engineOf(db) === "postgres") return true;
  return withWriter(db, (client) => {
    const [result] = client.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
    return result?.busy === 0;
  });
}

function refuseInsideTransaction(what: string) {
  if (isInTransaction(db))
    throw new Error(`${what} commits and checkpoints on its own: call it outside any transaction`);
}

/**
 * Erases everything about the person with this email, in one write
 * transaction, then checkpoints. `suppress` adds the address (hashed) to the
 * suppression list, so a later ask never signs them up for updates. Audited
 * with the keyed hash of the address (emailKeyHash), never the address.
 */
export async function eraseSupporter({
  email,
  reason,
  by,
  now,
  suppress = false,
}: {
  email: string;
  reason: ErasureReason;
  /** The staff member's email, "supporter" or "retention". */
  by: string;
  now: Date;
  suppress?: boolean;
}): Promise<ErasureCounts & { suppressed: boolean; walCheckpointed: boolean }> {
  refuseInsideTransaction("eraseSupporter");
  const address = email.trim().toLowerCase();
  // Erased rows keep an empty email: "" must never match them as a person.
  if (address === "") throw new Error("eraseSupporter needs an email address");
  const counts = await writeTransaction(db, async () => {
    const asksToScrub = (
      await db
        .select({ id: asks.id, name: asks.name, personalMessage: asks.personalMessage })
        .from(asks)
        .where(and(eq(asks.email, address), isNull(asks.erasedAt)))
    ).map((a) => ({ ...a, keepContact: false }));
    const counts = await scrubPerson({ email: address, asksToScrub, keepContact: false, now });
    if (suppress) await suppressPerson({ email: address, now });
    await recordAudit({
      actor: by,
      action: "person.erase",
      subject: `person:${await emailKeyHash(address)}`,
      details: { reason, suppressed: suppress, ...counts },
      now,
    });
    return counts;
  });
  return { ...counts, suppressed: suppress, walCheckpointed: await checkpointWal() };
}

// People a batch of the retention job takes in one write transaction: small,
// so a supporter's ask never waits long behind it.
const RETENTION_BATCH = 100;

/**
 * Retention: from the start (London time) of the day `askDaysAfterPollingDay`
 * after the campaign's polling day, erases supporters' ask data. Those who
 * opted into updates (a confirmed ask with wants_updates, not since withdrawn)
 * keep their name and email, the contact details the updates need; their
 * postcode, message and client data still go. Idempotent; in short batches,
 * each audited (by count: the job names no one) in its own transaction.
 */
export async function eraseExpiredAsks({
  now,
  askDaysAfterPollingDay,
  batchSize = RETENTION_BATCH,
}: {
  now: Date;
  askDaysAfterPollingDay: number;
  batchSize?: number;
}) {
  refuseInsideTransaction("eraseExpiredAsks");
  const result = { erased: 0, contactsKept: 0 };
  const campaign = await findCampaign();
  if (!campaign) return result;
  if (now < startOfLondonDay(addDays(campaign.electionDate, askDaysAfterPollingDay))) return result;
  const electionId = campaign.electionId;
  const keep = and(eq(asks.status, "confirmed"), eq(asks.wantsUpdates, true)) as SQL;
  const trimmed = and(
    eq(asks.postcode, ""),
    isNull(asks.personalMessage),
    isNull(asks.clientAddressHash),
    isNull(asks.clientNetworkHash),
    isNull(asks.messageFingerprint),
  ) as SQL;
  // Still to do: not erased, and not a contact already kept and trimmed.
  // An ask made after polling day (a demo, or a campaign run late) still gets
  // the whole period from when it was made, never erased on the next tick.
  const madeBefore = new Date(now.getTime() - askDaysAfterPollingDay * DAY).toISOString();
  const due = and(
    eq(asks.electionId, electionId),
    isNull(asks.erasedAt),
    lte(asks.createdAt, madeBefore),
    not(and(keep, trimmed) as SQL),
  );
  for (;;) {
    const batch = await writeTransaction(db, async () => {
      const emails = (await db.selectDistinct({ email: asks.email }).from(asks).where(due).limit(batchSize)).map(
        (r) => r.email,
      );
      let erased = 0;
      let contactsKept = 0;
      for (const email of emails) {
        const asksToScrub = (
          await db
            .select({
              id: asks.id,
              name: asks.name,
              personalMessage: asks.personalMessage,
              keepContact: sql<number>`${keep}`.mapWith(Number),
            })
            .from(asks)
            .where(and(due, eq(asks.email, email)))
        ).map((a) => ({ ...a, keepContact: Boolean(a.keepContact) }));
        const keepContact = asksToScrub.some((a) => a.keepContact);
        await scrubPerson({ email, asksToScrub, keepContact, now });
        if (keepContact) contactsKept++;
        else erased++;
      }
      if (emails.length > 0)
        await recordAudit({
          actor: "retention",
          action: "retention.erase",
          subject: `election:${electionId}`,
          details: { askDaysAfterPollingDay, erased, contactsKept },
          now,
        });
      return { people: emails.length, erased, contactsKept };
    });
    result.erased += batch.erased;
    result.contactsKept += batch.contactsKept;
    if (batch.people < batchSize) break;
  }
  if (result.erased + result.contactsKept > 0) await checkpointWal();
  return result;
}
