// Supporters as the public sees them: first name and initial, only with consent.
import { and, count, desc, eq, isNotNull } from "drizzle-orm";
import { asks, constituencies } from "#db/schema";
import { db } from "~/utils/db.server";
import { publicSupporterName, shortDate } from "~/utils/names";

/** The public list: only supporters who opted in, as "Rajan N", with the day they confirmed. */
export async function listRecentPublicSupporters({
  limit,
  constituencyCode,
}: {
  limit: number;
  constituencyCode?: string;
}) {
  return (
    await db
      .select({
        name: asks.name,
        confirmedAt: asks.confirmedAt,
        constituencyName: constituencies.name,
        constituencySlug: constituencies.slug,
      })
      .from(asks)
      .innerJoin(constituencies, eq(constituencies.gssCode, asks.constituencyCode))
      .where(
        and(
          eq(asks.status, "confirmed"),
          eq(asks.showOnPublicList, true),
          // An organiser took it off the list (app/models/review.server.ts).
          eq(asks.hiddenFromPublicList, false),
          isNotNull(asks.confirmedAt),
          constituencyCode ? eq(asks.constituencyCode, constituencyCode) : undefined,
        ),
      )
      .orderBy(desc(asks.confirmedAt))
      .limit(limit)
  ).map((s) => ({
    name: publicSupporterName(s.name),
    confirmedOn: shortDate(s.confirmedAt ?? ""),
    constituencyName: s.constituencyName,
    constituencySlug: s.constituencySlug,
  }));
}

export async function countConfirmedAsks({ constituencyCode }: { constituencyCode: string }) {
  return (
    (
      await db
        .select({ n: count() })
        .from(asks)
        .where(and(eq(asks.constituencyCode, constituencyCode), eq(asks.status, "confirmed")))
        .limit(1)
    )[0]?.n ?? 0
  );
}
