import { and, count, eq, inArray, sql } from "drizzle-orm";
import { candidacies } from "#db/schema";
import { db } from "~/utils/db.server";

export type CandidacyRecord = {
  electionId: string;
  personId: string;
  name: string;
  partyId: string;
  ballotPaperId: string;
  constituencyCode: string;
  email: string | null;
  homepageUrl: string | null;
  links: Record<string, string> | null;
  statement: string | null;
  status: "standing" | "withdrawn";
  source: string;
};

export function listCandidacyRecords({ electionId }: { electionId: string }): CandidacyRecord[] {
  return db
    .select({
      electionId: candidacies.electionId,
      personId: candidacies.personId,
      name: candidacies.name,
      partyId: candidacies.partyId,
      ballotPaperId: candidacies.ballotPaperId,
      constituencyCode: candidacies.constituencyCode,
      email: candidacies.email,
      homepageUrl: candidacies.homepageUrl,
      links: candidacies.links,
      statement: candidacies.statement,
      status: candidacies.status,
      source: candidacies.source,
    })
    .from(candidacies)
    .where(eq(candidacies.electionId, electionId))
    .all();
}

/** Inserts new candidacies and rewrites changed ones, keyed by election and person. */
export function saveCandidacyRecords({ records, now }: { records: CandidacyRecord[]; now: string }) {
  // 13 columns a row: 500 rows stay well under SQLite's 32,766 variables.
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    db.insert(candidacies)
      .values(chunk.map((r) => ({ ...r, createdAt: now, updatedAt: now })))
      .onConflictDoUpdate({
        target: [candidacies.electionId, candidacies.personId],
        set: {
          name: sql`excluded.name`,
          partyId: sql`excluded.party_id`,
          ballotPaperId: sql`excluded.ballot_paper_id`,
          constituencyCode: sql`excluded.constituency_code`,
          email: sql`excluded.email`,
          homepageUrl: sql`excluded.homepage_url`,
          links: sql`excluded.links`,
          statement: sql`excluded.statement`,
          status: sql`excluded.status`,
          source: sql`excluded.source`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .run();
  }
}

/** Candidates are never deleted: someone no longer listed is marked withdrawn. */
export function markCandidaciesWithdrawn({
  electionId,
  personIds,
  now,
}: {
  electionId: string;
  personIds: string[];
  now: string;
}) {
  for (let i = 0; i < personIds.length; i += 500) {
    db.update(candidacies)
      .set({ status: "withdrawn", updatedAt: now })
      .where(
        and(eq(candidacies.electionId, electionId), inArray(candidacies.personId, personIds.slice(i, i + 500))),
      )
      .run();
  }
}

export function countCandidacies({ status }: { status?: "standing" | "withdrawn" } = {}) {
  return (
    db
      .select({ n: count() })
      .from(candidacies)
      .where(status ? eq(candidacies.status, status) : undefined)
      .get()?.n ?? 0
  );
}
