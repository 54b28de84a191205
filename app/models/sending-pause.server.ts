// The "pause all sending" switch: what a campaign needs the minute something
// is wrong (a bad wording, a flood of abuse). While the row exists, the mail
// worker claims nothing; the mail waits in the outbox, queued, and goes out
// once sending resumes. Every change is audited.
import { eq } from "drizzle-orm";
import { writeTransaction } from "#db/index";
import { sendingPause, staffAccounts } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";

const pauseRow = 1;

/** When sending was paused, by whom and why; null while mail is being sent. */
export function findSendingPause() {
  return (
    db
      .select({
        pausedAt: sendingPause.pausedAt,
        reason: sendingPause.reason,
        pausedByEmail: staffAccounts.email,
      })
      .from(sendingPause)
      .leftJoin(staffAccounts, eq(staffAccounts.id, sendingPause.pausedBy))
      .where(eq(sendingPause.id, pauseRow))
      .get() ?? null
  );
}

/**
 * Pauses all sending. `actor` is who did it, for the audit log (a staff
 * member's email, or the name given to `npm run mail:pause`), and
 * `accountId` their staff account if they used the console. Pausing while
 * paused changes nothing and is not logged again.
 */
export function pauseSending({
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
  return writeTransaction(db, () => {
    const inserted = db
      .insert(sendingPause)
      .values({ id: pauseRow, pausedAt: now.toISOString(), pausedBy: accountId, reason })
      .onConflictDoNothing()
      .run().changes;
    if (inserted === 0) return { outcome: "already-paused" as const };
    recordAudit({ actor, action: "sending.pause", subject: "sending", details: { reason }, now });
    return { outcome: "paused" as const };
  });
}

/** Resumes sending; the queued mail goes out on the worker's next tick. */
export function resumeSending({ actor, now }: { actor: string; now: Date }) {
  return writeTransaction(db, () => {
    const pause = findSendingPause();
    if (!pause) return { outcome: "not-paused" as const };
    db.delete(sendingPause).where(eq(sendingPause.id, pauseRow)).run();
    recordAudit({ actor, action: "sending.resume", subject: "sending", details: { pausedAt: pause.pausedAt }, now });
    return { outcome: "resumed" as const };
  });
}
