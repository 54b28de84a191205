import { writeTransaction, changedRows } from "#db/index";
import { desc, eq, lt } from "drizzle-orm";
import { mailbox } from "#db/schema";
import { db } from "~/utils/db.server";

/** Keeps one message delivered by the local transport (no SMTP configured). */
export async function storeMailboxMessage({
  outboxId,
  messageId,
  fromAddress,
  toAddress,
  replyTo,
  subject,
  textBody,
  raw,
  deliveredAt,
}: {
  outboxId: number | null;
  messageId: string;
  fromAddress: string;
  toAddress: string;
  replyTo: string | null;
  subject: string;
  textBody: string;
  raw: string;
  deliveredAt: Date;
}): Promise<number> {
  return writeTransaction(db, async () => {
    return (
      await db
        .insert(mailbox)
        .values({
          outboxId,
          messageId,
          fromAddress,
          toAddress,
          replyTo,
          subject,
          textBody,
          raw,
          deliveredAt: deliveredAt.toISOString(),
        })
        .returning({ id: mailbox.id })
    )[0]!.id;
  });
}

/** Newest first, without the bodies. */
export async function listMailboxMessages({ limit = 200 }: { limit?: number } = {}) {
  return await db
    .select({
      id: mailbox.id,
      toAddress: mailbox.toAddress,
      subject: mailbox.subject,
      deliveredAt: mailbox.deliveredAt,
    })
    .from(mailbox)
    .orderBy(desc(mailbox.id))
    .limit(limit);
}

export async function findMailboxMessage({ id }: { id: number }) {
  const message = (
    await db
      .select({
        id: mailbox.id,
        messageId: mailbox.messageId,
        fromAddress: mailbox.fromAddress,
        toAddress: mailbox.toAddress,
        replyTo: mailbox.replyTo,
        subject: mailbox.subject,
        textBody: mailbox.textBody,
        raw: mailbox.raw,
        deliveredAt: mailbox.deliveredAt,
      })
      .from(mailbox)
      .where(eq(mailbox.id, id))
      .limit(1)
  )[0];
  if (!message) return undefined;
  return {
    ...message,
    listUnsubscribe: headerOf(message.raw, "List-Unsubscribe"),
    listUnsubscribePost: headerOf(message.raw, "List-Unsubscribe-Post"),
  };
}

/** One header of a raw message, unfolded, or null: the page shows what a mail client would act on. */
function headerOf(raw: string, name: string) {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? "";
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/**
 * Deletes the local copies delivered before `before`: the mailbox stands in
 * for a recipient's inbox on a machine without SMTP, and copies of mails to
 * supporters and candidates need not outlive the retention period.
 */
export async function deleteOldMailboxMessages({ before }: { before: Date }) {
  return writeTransaction(db, async () => {
    return changedRows(await db.delete(mailbox).where(lt(mailbox.deliveredAt, before.toISOString())));
  });
}
