// Subject access: everything held about one person, found by their email, as
// staff answer an access request. Only rows about them: a digest that listed
// other supporters too shows just their line, and candidates' link tokens are
// struck out (they are the candidates' secrets, not the supporter's data).
import { and, asc, eq, inArray, or } from "drizzle-orm";
import { outboxAboutPerson } from "~/models/outbox.server";
import {
  askRecipients,
  asks,
  auditLog,
  blockList,
  candidacies,
  constituencies,
  mailbox,
  outbox,
  parties,
  rateLimits,
} from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { askEmailKey } from "~/models/rate-limit.server";
import { emailKeyHash } from "~/models/client-hash.server";
import { isSuppressed } from "~/models/suppression.server";
import { listConsentRecords } from "~/models/consent.server";
import { consentVersionName } from "~/utils/consent";
import { digestSupporterLine } from "~/mail-wording/ask-mails";
import { db } from "~/utils/db.server";
import { londonDay } from "~/utils/london-day";
import { redactLinkTokens } from "~/utils/tokens.server";

/** Every row about the person, as the JSON download carries it. */
async function collectPersonData({ email }: { email: string }) {
  const address = email.trim().toLowerCase();
  // Erased asks keep an empty email: "" would find every one of them.
  if (address === "") throw new Error("collectPersonData needs an email address");
  const theirAsks = await db
    .select({
      id: asks.id,
      electionId: asks.electionId,
      constituencyCode: asks.constituencyCode,
      constituencyName: constituencies.name,
      name: asks.name,
      email: asks.email,
      postcode: asks.postcode,
      personalMessage: asks.personalMessage,
      wordingId: asks.wordingId,
      showOnPublicList: asks.showOnPublicList,
      wantsUpdates: asks.wantsUpdates,
      status: asks.status,
      createdAt: asks.createdAt,
      confirmedAt: asks.confirmedAt,
      reminderSentAt: asks.reminderSentAt,
      clientAddressHash: asks.clientAddressHash,
      clientNetworkHash: asks.clientNetworkHash,
      messageFingerprint: asks.messageFingerprint,
      holdReasons: asks.holdReasons,
      heldAt: asks.heldAt,
      reviewedAt: asks.reviewedAt,
      hiddenFromPublicList: asks.hiddenFromPublicList,
    })
    .from(asks)
    .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
    .where(eq(asks.email, address))
    .orderBy(asc(asks.createdAt), asc(asks.id));
  const askIds = theirAsks.map((a) => a.id);

  const recipients =
    askIds.length === 0
      ? []
      : await db
          .select({
            askId: askRecipients.askId,
            candidatePersonId: candidacies.personId,
            candidateName: candidacies.name,
            party: parties.name,
            delivery: askRecipients.delivery,
            outboxId: askRecipients.outboxId,
            notifiedAt: askRecipients.notifiedAt,
          })
          .from(askRecipients)
          .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
          .innerJoin(parties, eq(parties.id, candidacies.partyId))
          .where(inArray(askRecipients.askId, askIds))
          .orderBy(asc(askRecipients.askId), asc(candidacies.name));

  const mailRows = await db
    .select({
      id: outbox.id,
      kind: outbox.kind,
      askId: outbox.askId,
      toAddress: outbox.toAddress,
      toName: outbox.toName,
      replyTo: outbox.replyTo,
      subject: outbox.subject,
      textBody: outbox.textBody,
      status: outbox.status,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(outboxAboutPerson({ askIds, email: address }))
    .orderBy(asc(outbox.id));
  const mails = mailRows.map((m) => ({
    id: m.id,
    kind: m.kind,
    // A mail to a candidate about the person names the candidate, not their address.
    to: m.toAddress === address ? address : m.toName,
    replyTo: m.replyTo === address ? address : null,
    subject: m.subject,
    textBody: redactLinkTokens(m.textBody),
    status: m.status,
    createdAt: m.createdAt,
    sentAt: m.sentAt,
  }));

  // Digests list other supporters: only the fact of it, and the person's own line.
  const digestIds = [...new Set(recipients.flatMap((r) => (r.outboxId === null ? [] : [r.outboxId])))];
  const digestRows =
    digestIds.length === 0
      ? []
      : await db
          .select({
            id: outbox.id,
            toName: outbox.toName,
            textBody: outbox.textBody,
            status: outbox.status,
            createdAt: outbox.createdAt,
            sentAt: outbox.sentAt,
          })
          .from(outbox)
          .where(and(inArray(outbox.id, digestIds), eq(outbox.kind, "candidate-digest")))
          .orderBy(asc(outbox.id));
  const digests = digestRows.map((d) => {
    const lines = d.textBody.split("\n");
    return {
      id: d.id,
      to: d.toName,
      status: d.status,
      createdAt: d.createdAt,
      sentAt: d.sentAt,
      yourLines: theirAsks.map((a) => digestSupporterLine(a)).filter((line) => lines.includes(line)),
    };
  });

  const mailIds = mailRows.map((m) => m.id);
  const mailboxCopies = (
    await db
      .select({
        id: mailbox.id,
        outboxId: mailbox.outboxId,
        toAddress: mailbox.toAddress,
        subject: mailbox.subject,
        textBody: mailbox.textBody,
        deliveredAt: mailbox.deliveredAt,
      })
      .from(mailbox)
      .where(
        or(
          mailIds.length > 0 ? inArray(mailbox.outboxId, mailIds) : undefined,
          eq(mailbox.toAddress, address),
          eq(mailbox.replyTo, address),
        ),
      )
      .orderBy(asc(mailbox.id))
  ).map((m) => ({
    ...m,
    toAddress: m.toAddress === address ? address : null,
    textBody: redactLinkTokens(m.textBody),
  }));

  const subjects = [`person:${await emailKeyHash(address)}`, ...askIds.map((id) => `ask:${id}`)];
  // What staff did about them; which member of staff is the staff's own data.
  const staffActions = await db
    .select({ action: auditLog.action, subject: auditLog.subject, createdAt: auditLog.createdAt })
    .from(auditLog)
    .where(inArray(auditLog.subject, subjects))
    .orderBy(asc(auditLog.id));

  // Each consent given or withdrawn, with the words the person was shown.
  const consents = (await listConsentRecords({ askIds })).map(({ version, ...r }) => ({
    ...r,
    version: consentVersionName({ purpose: r.purpose, version }),
  }));

  return {
    email: address,
    asks: theirAsks.map((a) => ({ ...a, recipients: recipients.filter((r) => r.askId === a.id) })),
    consents,
    mails,
    digests,
    mailboxCopies,
    blockList: await db
      .select({ kind: blockList.kind, note: blockList.note, createdAt: blockList.createdAt })
      .from(blockList)
      .where(and(eq(blockList.kind, "email"), eq(blockList.matchKey, address))),
    rateLimits: await db
      .select({ windowStart: rateLimits.windowStart, count: rateLimits.count })
      .from(rateLimits)
      .where(eq(rateLimits.key, await askEmailKey(address))),
    suppressed: await isSuppressed({ email: address }),
    staffActions,
  };
}

/** What the staff page shows before a download or an erasure: counts and dates. */
export async function findHeldAbout({ email }: { email: string }) {
  const data = await collectPersonData({ email });
  const unsent = new Set(["queued", "sending", "held", "failed"]);
  const toCandidates = [...data.mails.filter((m) => m.to !== data.email), ...data.digests];
  return {
    asks: data.asks.map((a) => ({
      id: a.id,
      constituencyName: a.constituencyName,
      status: a.status,
      createdAt: a.createdAt,
      confirmedAt: a.confirmedAt,
      candidates: a.recipients.length,
      wantsUpdates: a.wantsUpdates,
      showOnPublicList: a.showOnPublicList,
    })),
    mailsToThem: data.mails.filter((m) => m.to === data.email).length,
    mailsToCandidates: toCandidates.length,
    mailsNotSent: [...data.mails, ...data.digests].filter((m) => unsent.has(m.status)).length,
    mailsSentToCandidates: toCandidates.filter((m) => m.status === "sent").length,
    mailboxCopies: data.mailboxCopies.length,
    // What they agreed to and withdrew, and under which wording: what an access request must answer.
    consents: data.consents.map((c) => ({
      purpose: c.purpose,
      action: c.action,
      method: c.method,
      at: c.at,
      version: c.version,
    })),
    blockListed: data.blockList.length > 0,
    suppressed: data.suppressed,
    nothingHeld:
      data.asks.length === 0 &&
      data.mails.length === 0 &&
      data.mailboxCopies.length === 0 &&
      data.rateLimits.length === 0,
  };
}

/**
 * The subject access download: every row about the person as JSON, audited by
 * the keyed hash of the address (never the address) and what it held.
 */
export async function exportPersonData({ email, actor, now }: { email: string; actor: string; now: Date }) {
  const data = await collectPersonData({ email });
  await recordAudit({
    actor,
    action: "person.export",
    subject: `person:${await emailKeyHash(data.email)}`,
    details: { asks: data.asks.length, mails: data.mails.length + data.digests.length },
    now,
  });
  const json = JSON.stringify({ exportedAt: now.toISOString(), ...data }, null, 2);
  return { json, filename: `personal-data-${londonDay(now)}.json` };
}
