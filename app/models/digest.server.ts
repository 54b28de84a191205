// Digests: asks held back by a candidate's hourly cap, gathered into one mail.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { askRecipients, asks, candidacies, constituencies } from "#db/schema";
import { writeTransaction } from "#db/index";
import { findCampaign } from "~/models/campaign.server";
import { countCandidateMailsInLastHour, enqueueMail } from "~/models/outbox.server";
import { candidacyAnswersJson, hasSignedEveryPoint } from "~/models/pledge-status.server";
import { issueSigningLink } from "~/models/signing-link.server";
import { candidateDigestMail } from "~/mail-wording/ask-mails";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

/**
 * Gathers asks held back by the hourly cap into one digest mail per candidate,
 * as soon as that candidate's last hour has room for one more mail.
 */
export async function queueDueDigests({ now }: { now: Date }) {
  const campaign = await findCampaign();
  if (!campaign) return 0;
  return writeTransaction(db, async () => {
    const waiting = await db
      .select({
        askId: askRecipients.askId,
        candidacyId: askRecipients.candidacyId,
        candidateName: candidacies.name,
        candidateEmail: candidacies.email,
        constituencyName: constituencies.name,
        supporterName: asks.name,
        personalMessage: asks.personalMessage,
        answers: candidacyAnswersJson,
      })
      .from(askRecipients)
      .innerJoin(asks, eq(asks.id, askRecipients.askId))
      .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
      .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
      // A held ask's digest entries wait for its release; a rejected or erased one's never go.
      .where(
        and(
          eq(askRecipients.delivery, "digest"),
          isNull(askRecipients.outboxId),
          eq(asks.status, "confirmed"),
          isNull(asks.erasedAt),
        ),
      )
      .orderBy(asc(askRecipients.candidacyId), asc(asks.confirmedAt));
    const byCandidate = new Map<number, typeof waiting>();
    for (const row of waiting) {
      const rows = byCandidate.get(row.candidacyId);
      if (rows) rows.push(row);
      else byCandidate.set(row.candidacyId, [row]);
    }
    let queued = 0;
    for (const [candidacyId, rows] of byCandidate) {
      const first = rows[0];
      if (!first?.candidateEmail) continue;
      const held = and(
        eq(askRecipients.candidacyId, candidacyId),
        inArray(
          askRecipients.askId,
          rows.map((r) => r.askId),
        ),
      );
      // Signed everything while these asks waited: no more ask mails to them.
      if (hasSignedEveryPoint({ answers: first.answers, points: campaign.points })) {
        await db.update(askRecipients).set({ delivery: "already-signed" }).where(held);
        continue;
      }
      if ((await countCandidateMailsInLastHour({ candidacyId, now })) >= campaign.askHourlyCap) continue;
      const signingLink = await issueSigningLink({ candidacyId, now });
      if (!signingLink) continue;
      const mail = candidateDigestMail({
        campaign,
        candidateName: first.candidateName,
        constituencyName: first.constituencyName,
        supporters: rows.map((r) => ({ name: r.supporterName, personalMessage: r.personalMessage })),
        pledgeUrl: signingLink.url,
        publicUrl: env.PUBLIC_URL,
      });
      const outboxId = await enqueueMail({
        kind: "candidate-digest",
        toAddress: first.candidateEmail,
        toName: first.candidateName,
        replyTo: null,
        ...mail,
        askId: null,
        candidacyId,
        now,
      });
      await db.update(askRecipients).set({ outboxId }).where(held);
      queued++;
    }
    return queued;
  });
}
