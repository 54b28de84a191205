// Reminders: one, with a fresh link, to a supporter who has not confirmed their ask.
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import { askRecipients, asks, candidacies, constituencies } from "#db/schema";
import { writeTransaction } from "#db/index";
import { findCampaign } from "~/models/campaign.server";
import { enqueueMail } from "~/models/outbox.server";
import { askEmailKey, hitRateLimit, rateLimitPolicy } from "~/models/rate-limit.server";
import { issueSupporterLink } from "~/models/supporter-link.server";
import { confirmAskMail } from "~/mail-wording/ask-mails";
import { db } from "~/utils/db.server";
import { env, publicUrl } from "~/utils/env.server";
import { shortDate } from "~/utils/names";
import { paths } from "~/utils/paths";
import { REMINDER_AFTER_MS } from "~/utils/lifetimes";
import { generateToken } from "~/utils/tokens.server";

/** One reminder, with a fresh link, for asks left unconfirmed for a day. */
export async function sendDueReminders({ now }: { now: Date }) {
  const campaign = await findCampaign();
  if (!campaign) return 0;
  return writeTransaction(db, async () => {
    const due = await db
      .select({
        id: asks.id,
        name: asks.name,
        email: asks.email,
        tokenExpiresAt: asks.tokenExpiresAt,
        constituencyName: constituencies.name,
      })
      .from(asks)
      .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
      .where(
        and(
          eq(asks.status, "pending"),
          isNull(asks.reminderSentAt),
          lte(asks.createdAt, new Date(now.getTime() - REMINDER_AFTER_MS).toISOString()),
          gt(asks.tokenExpiresAt, now.toISOString()),
        ),
      );
    for (const ask of due) {
      if (!(await hitRateLimit({ key: await askEmailKey(ask.email), ...rateLimitPolicy.askEmailMails, now })).within)
        continue;
      const { token, hash } = generateToken();
      await db.update(asks).set({ tokenHash: hash, reminderSentAt: now.toISOString() }).where(eq(asks.id, ask.id));
      const candidateNames = (
        await db
          .select({ name: candidacies.name })
          .from(askRecipients)
          .innerJoin(candidacies, eq(candidacies.id, askRecipients.candidacyId))
          .where(eq(askRecipients.askId, ask.id))
      ).map((c) => c.name);
      const link = await issueSupporterLink({ askId: ask.id, now });
      const mail = confirmAskMail({
        campaign,
        supporterName: ask.name,
        constituencyName: ask.constituencyName,
        candidateNames,
        confirmUrl: publicUrl(paths.confirmAsk(token)),
        expiresOn: shortDate(ask.tokenExpiresAt ?? now.toISOString()),
        publicUrl: env.PUBLIC_URL,
        manageUrl: link.manageUrl,
        reminder: true,
      });
      await enqueueMail({
        kind: "ask-reminder",
        toAddress: ask.email,
        toName: ask.name,
        replyTo: null,
        ...mail,
        listUnsubscribe: link.listUnsubscribe,
        askId: ask.id,
        candidacyId: null,
        now,
      });
    }
    return due.length;
  });
}
