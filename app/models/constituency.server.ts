import { asc, count, eq, sql } from "drizzle-orm";
import { candidacies, constituencies, parties } from "#db/schema";
import { db } from "~/utils/db.server";

const recordColumns = {
  gssCode: constituencies.gssCode,
  name: constituencies.name,
  nameCy: constituencies.nameCy,
  slug: constituencies.slug,
  nation: constituencies.nation,
  regionCode: constituencies.regionCode,
  regionName: constituencies.regionName,
  electorate: constituencies.electorate,
  source: constituencies.source,
};

export type ConstituencyRecord = ReturnType<typeof listConstituencyRecords>[number];

export function listConstituencyRecords() {
  return db.select(recordColumns).from(constituencies).all();
}

/** Inserts or replaces whole records, in chunks that stay under SQLite's variable limit. */
export function saveConstituencyRecords({ records, now }: { records: ConstituencyRecord[]; now: string }) {
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500).map((r) => ({ ...r, updatedAt: now }));
    db.insert(constituencies)
      .values(chunk.map((r) => ({ ...r, createdAt: now })))
      .onConflictDoUpdate({
        target: constituencies.gssCode,
        set: {
          name: sql`excluded.name`,
          nameCy: sql`excluded.name_cy`,
          slug: sql`excluded.slug`,
          nation: sql`excluded.nation`,
          regionCode: sql`excluded.region_code`,
          regionName: sql`excluded.region_name`,
          electorate: sql`excluded.electorate`,
          source: sql`excluded.source`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .run();
  }
}

export function countConstituencies() {
  return db.select({ n: count() }).from(constituencies).get()?.n ?? 0;
}

/** Every constituency with how many candidates stand there, for the index page. */
export function listConstituenciesByNation() {
  return db
    .select({
      gssCode: constituencies.gssCode,
      name: constituencies.name,
      nameCy: constituencies.nameCy,
      slug: constituencies.slug,
      nation: constituencies.nation,
      regionCode: constituencies.regionCode,
      regionName: constituencies.regionName,
      candidates: sql<number>`count(${candidacies.id}) filter (where ${candidacies.status} = 'standing')`,
    })
    .from(constituencies)
    .leftJoin(candidacies, eq(candidacies.constituencyCode, constituencies.gssCode))
    .groupBy(constituencies.gssCode)
    .orderBy(asc(constituencies.nation), asc(constituencies.regionName), asc(constituencies.name))
    .all();
}

export function findConstituencyBySlug({ slug }: { slug: string }) {
  return db
    .select({
      gssCode: constituencies.gssCode,
      name: constituencies.name,
      nameCy: constituencies.nameCy,
      slug: constituencies.slug,
      nation: constituencies.nation,
      regionName: constituencies.regionName,
      electorate: constituencies.electorate,
    })
    .from(constituencies)
    .where(eq(constituencies.slug, slug))
    .get();
}

export function listCandidatesInConstituency({ gssCode }: { gssCode: string }) {
  return db
    .select({
      id: candidacies.id,
      personId: candidacies.personId,
      name: candidacies.name,
      partyId: candidacies.partyId,
      partyName: parties.name,
      status: candidacies.status,
      hasEmail: sql<boolean>`${candidacies.email} is not null`.mapWith(Boolean),
      homepageUrl: candidacies.homepageUrl,
      statement: candidacies.statement,
    })
    .from(candidacies)
    .innerJoin(parties, eq(parties.id, candidacies.partyId))
    .where(eq(candidacies.constituencyCode, gssCode))
    .orderBy(asc(candidacies.status), asc(candidacies.name))
    .all();
}
