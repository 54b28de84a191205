import { preparedPerConnection } from "#db/index";
import { and, asc, count, eq, or, sql } from "drizzle-orm";
import { candidacies, constituencies, parties } from "#db/schema";
import { likeAnyCase } from "#db/dialect";
import { db } from "~/utils/db.server";
import { likeContaining } from "~/utils/like-pattern";
import { slugify } from "~/utils/names";

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

export type ConstituencyRecord = Awaited<ReturnType<typeof listConstituencyRecords>>[number];

export async function listConstituencyRecords() {
  return await db.select(recordColumns).from(constituencies);
}

/** Inserts or replaces whole records, one prepared statement run a row (see saveCandidacyRecords). */
export async function saveConstituencyRecords({ records, now }: { records: ConstituencyRecord[]; now: Date }) {
  if (records.length === 0) return;
  const at = now.toISOString();
  const upsert = db
    .insert(constituencies)
    .values({
      gssCode: sql.placeholder("gssCode"),
      name: sql.placeholder("name"),
      nameCy: sql.placeholder("nameCy"),
      slug: sql.placeholder("slug"),
      nation: sql.placeholder("nation"),
      regionCode: sql.placeholder("regionCode"),
      regionName: sql.placeholder("regionName"),
      electorate: sql.placeholder("electorate"),
      source: sql.placeholder("source"),
      createdAt: at,
      updatedAt: at,
    })
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
    .prepare();
  for (const record of records) await upsert.execute(record);
}

export async function countConstituencies() {
  return (await db.select({ n: count() }).from(constituencies).limit(1))[0]?.n ?? 0;
}

/** Every constituency with how many candidates stand there, for the index page. */
export async function listConstituenciesByNation() {
  return await db
    .select({
      gssCode: constituencies.gssCode,
      name: constituencies.name,
      nameCy: constituencies.nameCy,
      slug: constituencies.slug,
      nation: constituencies.nation,
      regionCode: constituencies.regionCode,
      regionName: constituencies.regionName,
      candidates: sql<number>`count(${candidacies.id}) filter (where ${candidacies.status} = 'standing')`.mapWith(
        Number,
      ),
    })
    .from(constituencies)
    .leftJoin(candidacies, eq(candidacies.constituencyCode, constituencies.gssCode))
    .groupBy(constituencies.gssCode)
    .orderBy(asc(constituencies.nation), asc(constituencies.regionName), asc(constituencies.name));
}

function prepareConstituencyBySlug() {
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
    .where(eq(constituencies.slug, sql.placeholder("slug")))
    .prepare();
}
// Every ask (its form and each submission) looks its constituency up: prepared once, on first use.
const constituencyBySlug = preparedPerConnection(db, prepareConstituencyBySlug);

export async function findConstituencyBySlug({ slug }: { slug: string }) {
  const [found] = await constituencyBySlug().execute({ slug });
  return found;
}

/** The candidates of one election in a constituency (a seat's code outlives an election). */
export async function listCandidatesInConstituency({ electionId, gssCode }: { electionId: string; gssCode: string }) {
  return await db
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
    .where(and(eq(candidacies.electionId, electionId), eq(candidacies.constituencyCode, gssCode)))
    .orderBy(asc(candidacies.status), asc(candidacies.name));
}

/** For a postcode lookup: the constituency behind a GSS code, if this installation has it. */
export async function findConstituencyByGssCode({ gssCode }: { gssCode: string }) {
  return (
    await db
      .select({ gssCode: constituencies.gssCode, name: constituencies.name, slug: constituencies.slug })
      .from(constituencies)
      .where(eq(constituencies.gssCode, gssCode))
      .limit(1)
  )[0];
}

/** Every constituency's name and slug by nation then name: the "choose by name" list. */
export async function listConstituencyChoices() {
  return await db
    .select({ name: constituencies.name, slug: constituencies.slug, nation: constituencies.nation })
    .from(constituencies)
    .orderBy(asc(constituencies.nation), asc(constituencies.name));
}

/**
 * Constituencies whose name (or Welsh name) contains the text, by name: the
 * text and the names compared as slugs, so case, accents and apostrophes do
 * not matter ("ynys mon" finds Ynys Môn, "queens park" Queen's Park and Maida
 * Vale). One whose whole name is the text comes alone.
 */
export async function searchConstituenciesByName({ text, limit = 20 }: { text: string; limit?: number }) {
  const slug = slugify(text);
  if (!slug) return [];
  const columns = { name: constituencies.name, slug: constituencies.slug, regionName: constituencies.regionName };
  const exact = await db.select(columns).from(constituencies).where(eq(constituencies.slug, slug));
  if (exact.length > 0) return exact;
  return await db
    .select(columns)
    .from(constituencies)
    .where(
      or(
        likeAnyCase(constituencies.slug, likeContaining(slug)),
        likeAnyCase(constituencies.nameCy, likeContaining(text.trim())),
      ),
    )
    .orderBy(asc(constituencies.name))
    .limit(limit);
}
