// The "pause all sending" switch: what a campaign needs the minute something
// is wrong (a bad wording, a flood of abuse). While the row exists, the mail
// worker claims nothing; the mail waits in the outbox, queued, and goes out
// once sending resumes. Every change is audited.
import { eq } from "drizzle-orm";
import { writeTransaction, changedRows } from "#db/index";
import { sendingPause, staffAccounts } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";

const pauseRow = 1;

/** When sending was paused, by whom and why; null while mail is being sent. */
export async function findSendingPause() {
  return (
    (
      await db
        .select({
          pausedAt: sendingPause.pausedAt,
          reason: sendingPause.reason,
          pausedByEmail: staffAccounts.email,
        })
        .from(sendingPause)
        .leftJoin(staffAccounts, eq(staffAccounts.id, sendingPause.pausedBy))
        .where(eq(sendingPause.id, pauseRow))
        .limit(1)
    )[0] ?? null
  );
}

/**
 * Pauses all sending. `actor` is who did it, for the audit log (a staff
 * member's email, or the name given to `npm run mail:pause`), and
 * `accountId` their staff account if they used the console. Pausing while
 * paused changes nothing and is not logged again.
 */
export async function pauseSending({
  actor,
  accountId = null,
  reason,
  now,
}: {
  actor: string;
  accountId?: number | null;
  reason: string | null;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const inserted = changedRows(
      await db
        .insert(sendingPause)
        .values({ id: pauseRow, pausedAt: now.toISOString(), pausedBy: accountId, reason })
        .onConflictDoNothing(),
    );
    if (inserted === 0) return { outcome: "already-paused" as const };
    await recordAudit({ actor, action: "sending.pause", subject: "sending", details: { reason }, now });
    return { outcome: "paused" as const };
  });
}

/** Resumes sending; the queued mail goes out on the worker's next tick. */
export async function resumeSending({ actor, now }: { actor: string; now: Date }) {
  return writeTransaction(db, async () => {
    const pause = await findSendingPause();
    if (!pause) return { outcome: "not-paused" as const };
    await db.delete(sendingPause).where(eq(sendingPause.id, pauseRow));
    await recordAudit({
      actor,
      action: "sending.resume",
      subject: "sending",
      details: { pausedAt: pause.pausedAt },
      now,
    });
    return { outcome: "resumed" as const };
  });
}
