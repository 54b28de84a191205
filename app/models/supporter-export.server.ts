// The download of supporters who ticked "email me campaign updates", for the
// campaign's mailing list. Each row carries, from their consent record, the
// wording they were shown (and its version) and when they gave it, so the
// list can show where every address came from. Each download is recorded (where "new since the last export" starts)
// and audited by count only: the audit log never holds a supporter's name or email.
import { and, asc, count, desc, eq, gt, sql } from "drizzle-orm";
import { writeTransaction } from "#db/index";
import { asks, consentRecords, consentTexts, constituencies, supporterExports } from "#db/schema";
import type { supporterExportScopes } from "#db/enums";
import { recordAudit } from "~/models/audit.server";
import { newestUpdatesConsentId } from "~/models/consent.server";
import { consentVersionName } from "~/utils/consent";
import { toCsv } from "~/utils/csv";
import { db } from "~/utils/db.server";
import { londonDay } from "~/utils/london-day";

export type SupporterExportScope = (typeof supporterExportScopes)[number];

const columns = [
  "name",
  "email",
  "postcode",
  "constituency",
  "asked_on",
  "consent_wording",
  "consent_version",
  "consented_at",
] as const;

// When an ask joined the list: its confirmation, or, for one the review queue
// held, its release (a held ask keeps the time its supporter confirmed it, which
// may be before the last download).
const joinedAt = sql<string>`coalesce(${asks.reviewedAt}, ${asks.confirmedAt})`;

// Confirmed asks that opted in to updates, those that joined after `since` when
// given: one rule for what a download holds and for the page's counts of it.
function optedInSince({ since }: { since: string | null | undefined }) {
  return and(eq(asks.status, "confirmed"), eq(asks.wantsUpdates, true), since ? gt(joinedAt, since) : undefined);
}

async function newestExport() {
  return (
    await db
      .select({ upTo: supporterExports.upTo, createdAt: supporterExports.createdAt })
      .from(supporterExports)
      .orderBy(desc(supporterExports.id))
      .limit(1)
  )[0];
}

/**
 * How many supporters a download would hold: everyone who opted in, and those
 * a "new" download would (everyone, before the first download), with when the
 * last download was made.
 */
export async function countSupportersToExport(): Promise<{ all: number; new: number; lastExportAt: string | null }> {
  const previous = await newestExport();
  const countWhere = async (since: string | null | undefined) =>
    (
      await db
        .select({ n: count() })
        .from(asks)
        .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
        .where(optedInSince({ since }))
        .limit(1)
    )[0]?.n ?? 0;
  const all = await countWhere(undefined);
  return {
    all,
    new: previous?.upTo ? await countWhere(previous.upTo) : all,
    lastExportAt: previous?.createdAt ?? null,
  };
}

/**
 * Every confirmed ask that opted in to updates, oldest confirmation first, as
 * CSV (formula-safe), one row per ask; with scope "new", only those confirmed
 * after the newest one the previous export included. `accountId` is the staff
 * account downloading it, `actor` their email for the audit log.
 */
export async function exportSupporters({
  scope,
  accountId,
  actor,
  now,
}: {
  scope: SupporterExportScope;
  accountId: number | null;
  actor: string;
  now: Date;
}): Promise<{ csv: string; rows: number; filename: string }> {
  // IMMEDIATE: two exports at once cannot both start after the same upTo.
  return writeTransaction(db, async () => {
    const previous = await newestExport();
    const since = scope === "new" ? previous?.upTo : undefined;
    const supporters = await db
      .select({
        name: asks.name,
        email: asks.email,
        postcode: asks.postcode,
        constituency: constituencies.name,
        confirmedAt: asks.confirmedAt,
        joinedAt,
        consentWording: consentTexts.wording,
        consentVersion: consentTexts.version,
        consentedAt: consentRecords.at,
      })
      .from(asks)
      .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
      // The newest "given" record: an ask opted in now has one (withdrawing clears wants_updates).
      .leftJoin(consentRecords, eq(consentRecords.id, newestUpdatesConsentId))
      .leftJoin(consentTexts, eq(consentTexts.id, consentRecords.consentTextId))
      .where(optedInSince({ since }))
      .orderBy(asc(joinedAt), asc(asks.id));
    const upTo = supporters.at(-1)?.joinedAt ?? previous?.upTo ?? null;
    await db
      .insert(supporterExports)
      .values({ accountId, scope, rows: supporters.length, upTo, createdAt: now.toISOString() });
    await recordAudit({
      actor,
      action: "supporters.export",
      subject: "supporters",
      details: { scope, rows: supporters.length },
      now,
    });
    const csv = toCsv(
      columns,
      supporters.map((s) => ({
        name: s.name,
        email: s.email,
        postcode: s.postcode,
        constituency: s.constituency,
        asked_on: s.confirmedAt,
        // Given on the ask form, when it was submitted; confirming it (asked_on) proved the address.
        consent_wording: s.consentWording ?? "",
        consent_version:
          s.consentVersion === null ? "" : consentVersionName({ purpose: "updates", version: s.consentVersion }),
        consented_at: s.consentedAt ?? "",
      })),
    );
    const day = londonDay(now);
    const filename = scope === "new" ? `supporters-new-${day}.csv` : `supporters-${day}.csv`;
    return { csv, rows: supporters.length, filename };
  });
}
