// The "pause all sending" switch: what a campaign needs the minute something
// is wrong (a bad wording, a flood of abuse). While the row exists, the mail
// worker claims nothing; the mail waits in the outbox, queued, and goes out
// once sending resumes. Every change is audited.
import { eq } from "drizzle-orm";
import { writeTransaction } from "#db/index";
import { sendingPause } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";

const pauseRow = 1;

/** When sending was paused, by whom and why; null while mail is being sent. */
export function findSendingPause() {
  return db.select().from(sendingPause).where(eq(sendingPause.id, pauseRow)).get() ?? null;
}

/**
 * Pauses all sending. `actor` is who did it, for the audit log (today the
 * name given to `npm run mail:pause`). Pausing while paused changes nothing
 * and is not logged again.
 */
export function pauseSending({ actor, reason, now }: { actor: string; reason: string | null; now: Date }) {
  return writeTransaction(db, () => {
    const inserted = db
      .insert(sendingPause)
      .values({ id: pauseRow, pausedAt: now.toISOString(), reason })
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
