// "Report a correction": anyone may say a candidate's page is wrong (their
// party, email or statement); staff check and resolve or dismiss each report.
// Reports are personal data (the details may name people, the email is the
// reporter's), so each is deleted a set time after it is decided, and the
// audit log records only its id and topic.
import { and, asc, count, desc, eq, lte, ne } from "drizzle-orm";
import type { CorrectionTopic } from "#db/enums";
import { writeTransaction, changedRows } from "#db/index";
import { candidacies, constituencies, correctionReports, parties, staffAccounts } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { clientHash } from "~/models/client-hash.server";
import { enforceRateLimits, rateLimitPolicy } from "~/models/rate-limit.server";
import { db } from "~/utils/db.server";
import { CORRECTION_KEPT_AFTER_DECISION_MS } from "~/utils/lifetimes";

/**
 * Records a reader's report about a candidacy. Throws RateLimited when the
 * client has sent too many this hour.
 */
export async function submitCorrectionReport({
  candidacyId,
  topic,
  details,
  reporterEmail,
  clientIp,
  now,
}: {
  candidacyId: number;
  topic: CorrectionTopic;
  details: string;
  reporterEmail: string | null;
  clientIp: string;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    await enforceRateLimits({
      hits: [
        { key: `correction-ip:${await clientHash({ value: clientIp, now })}`, ...rateLimitPolicy.correctionPerClient },
      ],
      now,
    });
    return (
      await db
        .insert(correctionReports)
        .values({ candidacyId, topic, details, reporterEmail, createdAt: now.toISOString() })
        .returning({ id: correctionReports.id })
    )[0]!;
  });
}

/** How many reports wait for staff, for the console's navigation. */
export async function countOpenCorrectionReports() {
  return (
    (await db.select({ n: count() }).from(correctionReports).where(eq(correctionReports.status, "open")).limit(1))[0]
      ?.n ?? 0
  );
}

function selectReports() {
  return db
    .select({
      id: correctionReports.id,
      topic: correctionReports.topic,
      details: correctionReports.details,
      reporterEmail: correctionReports.reporterEmail,
      status: correctionReports.status,
      staffNote: correctionReports.staffNote,
      decidedAt: correctionReports.decidedAt,
      decidedBy: staffAccounts.email,
      createdAt: correctionReports.createdAt,
      personId: candidacies.personId,
      candidateName: candidacies.name,
      partyName: parties.name,
      constituencyName: constituencies.name,
    })
    .from(correctionReports)
    .innerJoin(candidacies, eq(candidacies.id, correctionReports.candidacyId))
    .innerJoin(parties, eq(parties.id, candidacies.partyId))
    .innerJoin(constituencies, eq(constituencies.gssCode, candidacies.constituencyCode))
    .leftJoin(staffAccounts, eq(staffAccounts.id, correctionReports.decidedBy));
}

/** Open reports, oldest first, and those decided (until they are deleted), newest first. */
export async function listCorrectionReports() {
  return {
    open: await selectReports()
      .where(eq(correctionReports.status, "open"))
      .orderBy(asc(correctionReports.createdAt), asc(correctionReports.id)),
    decided: await selectReports()
      .where(ne(correctionReports.status, "open"))
      .orderBy(desc(correctionReports.decidedAt), desc(correctionReports.id)),
  };
}

/** Marks an open report resolved or dismissed, with staff's note; audited by id and topic only. */
export async function decideCorrectionReport({
  id,
  decision,
  note,
  staff,
  now,
}: {
  id: number;
  decision: "resolved" | "dismissed";
  note: string | null;
  staff: { id: number; email: string };
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const decided = (
      await db
        .update(correctionReports)
        .set({ status: decision, staffNote: note, decidedAt: now.toISOString(), decidedBy: staff.id })
        .where(and(eq(correctionReports.id, id), eq(correctionReports.status, "open")))
        .returning({ topic: correctionReports.topic })
    )[0]!;
    if (!decided) return { outcome: "not-open" as const };
    await recordAudit({
      actor: staff.email,
      action: decision === "resolved" ? "correction.resolve" : "correction.dismiss",
      subject: `correction:${id}`,
      details: { topic: decided.topic },
      now,
    });
    return { outcome: decision };
  });
}

/** Deletes reports decided longer ago than they are kept; open ones wait for staff. */
export async function deleteDecidedCorrectionReports({ now }: { now: Date }) {
  return writeTransaction(db, async () => {
    const before = new Date(now.getTime() - CORRECTION_KEPT_AFTER_DECISION_MS).toISOString();
    return changedRows(
      await db
        .delete(correctionReports)
        .where(and(ne(correctionReports.status, "open"), lte(correctionReports.decidedAt, before))),
    );
  });
}
