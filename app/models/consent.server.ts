// Consents: the wordings a supporter is shown on the ask form (versioned, one
// row per version in consent_texts) and the append-only record of each consent
// given or withdrawn (consent_records), with the version, when and how. The
// asks' own flags (show_on_public_list, wants_updates) stay the current state
// the pages and mails read; every change to them goes through here with its record.
import { and, asc, desc, eq, gt, inArray, notExists, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { writeTransaction, preparedPerConnection, changedRows } from "#db/index";
import { asks, consentRecords, consentTexts } from "#db/schema";
import { consentPurposes, type ConsentMethod, type ConsentPurpose } from "#db/enums";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";
import { defaultConsentWordings } from "~/utils/consent";

export type ConsentText = { id: number; purpose: ConsentPurpose; version: number; wording: string };
export type ConsentTextIds = Record<ConsentPurpose, number>;

function prepareNewestTexts() {
  // The highest version of each purpose: the row no newer one of its purpose outranks.
  const newer = alias(consentTexts, "newer");
  return db
    .select({
      id: consentTexts.id,
      purpose: consentTexts.purpose,
      version: consentTexts.version,
      wording: consentTexts.wording,
    })
    .from(consentTexts)
    .where(
      notExists(
        db
          .select({ one: sql`1` })
          .from(newer)
          .where(and(eq(newer.purpose, consentTexts.purpose), gt(newer.version, consentTexts.version))),
      ),
    )
    .prepare();
}
// Every view of the ask form reads it: prepared once, on first use.
const newestTextsQuery = preparedPerConnection(db, prepareNewestTexts);

/**
 * The wording the ask form shows now for each consent. A purpose with no
 * wording yet (a database emptied by hand, or a test's) starts at version 1
 * from the defaults, as migration 0014 seeds it.
 */
export async function currentConsentTexts(): Promise<Record<ConsentPurpose, ConsentText>> {
  let rows = await newestTextsQuery().execute();
  if (rows.length < consentPurposes.length) {
    await writeTransaction(db, async () => {
      await db
        .insert(consentTexts)
        .values(consentPurposes.map((purpose) => ({ purpose, version: 1, wording: defaultConsentWordings[purpose] })))
        .onConflictDoNothing();
    });
    rows = await newestTextsQuery().execute();
  }
  return Object.fromEntries(rows.map((r) => [r.purpose, r])) as Record<ConsentPurpose, ConsentText>;
}

/** The ids of the wordings shown now, as the ask form carries them. */
export async function currentConsentTextIds(): Promise<ConsentTextIds> {
  const texts = await currentConsentTexts();
  return Object.fromEntries(consentPurposes.map((p) => [p, texts[p].id])) as ConsentTextIds;
}

/**
 * The versions a form says it showed, if each is a real version of its
 * purpose (any version, not only the newest: a wording changed while the form
 * was open was still what the person read), else null.
 */
export async function findShownConsentTexts(ids: Partial<Record<ConsentPurpose, number>>) {
  const wanted = consentPurposes.map((p) => ids[p]).filter((id): id is number => Number.isInteger(id));
  if (wanted.length !== consentPurposes.length) return null;
  const rows = await db
    .select({ id: consentTexts.id, purpose: consentTexts.purpose })
    .from(consentTexts)
    .where(inArray(consentTexts.id, wanted));
  const fits = consentPurposes.every((p) => rows.some((r) => r.id === ids[p] && r.purpose === p));
  return fits ? (ids as ConsentTextIds) : null;
}

/** Every version of every wording, newest first within each purpose, for the settings page. */
export async function listConsentTextVersions() {
  return await db
    .select({
      id: consentTexts.id,
      purpose: consentTexts.purpose,
      version: consentTexts.version,
      wording: consentTexts.wording,
      createdAt: consentTexts.createdAt,
    })
    .from(consentTexts)
    .orderBy(asc(consentTexts.purpose), desc(consentTexts.version));
}

/**
 * Saves the wordings an admin edited: each one that changed becomes a new
 * version (the records already made keep theirs), audited with the versions
 * from and to. The wordings are the campaign's own words, not personal data.
 */
export async function saveConsentWordings({
  wordings,
  actor,
  now,
}: {
  wordings: Record<ConsentPurpose, string>;
  actor: string;
  now: Date;
}): Promise<{ outcome: "saved" | "unchanged" }> {
  return writeTransaction(db, async () => {
    // Read inside the write: two admins saving at once each build on the version the other wrote.
    const current = await currentConsentTexts();
    const changed = consentPurposes.filter((p) => wordings[p] !== current[p].wording);
    if (changed.length === 0) return { outcome: "unchanged" as const };
    const details: Record<string, { from: number; to: number }> = {};
    for (const purpose of changed) {
      const version = current[purpose].version + 1;
      await db
        .insert(consentTexts)
        .values({ purpose, version, wording: wordings[purpose], createdAt: now.toISOString() });
      details[purpose] = { from: current[purpose].version, to: version };
    }
    await recordAudit({ actor, action: "settings.consents", subject: "campaign", details, now });
    return { outcome: "saved" as const };
  });
}

/** Records consents given on one ask. Call inside the write transaction that makes the ask. */
export async function recordConsentsGiven({
  askId,
  given,
  method,
  now,
}: {
  askId: number;
  given: { purpose: ConsentPurpose; consentTextId: number }[];
  method: ConsentMethod;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    if (given.length === 0) return;
    await db
      .insert(consentRecords)
      .values(given.map((g) => ({ askId, ...g, action: "given" as const, method, at: now.toISOString() })));
  });
}

// The flag on asks that each withdrawable consent sets.
const flagOf = {
  "public-list": asks.showOnPublicList,
  updates: asks.wantsUpdates,
} as const;

/**
 * Withdraws a consent on these asks: those that still have it lose it, and
 * each gets a "withdrawn" record naming the wording it was given under (the
 * newest "given" record; the newest wording if, unusually, there is none).
 * Asks already without it are left alone, so a repeat changes nothing.
 * Returns how many asks it changed. Call inside a write transaction.
 */
export async function withdrawConsent({
  askIds,
  purpose,
  method,
  now,
}: {
  askIds: number[];
  purpose: keyof typeof flagOf;
  method: ConsentMethod;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    if (askIds.length === 0) return 0;
    const flag = flagOf[purpose];
    const changed = (
      await db
        .update(asks)
        .set(purpose === "updates" ? { wantsUpdates: false } : { showOnPublicList: false })
        .where(and(inArray(asks.id, askIds), eq(flag, true)))
        .returning({ id: asks.id })
    ).map((a) => a.id);
    if (changed.length === 0) return 0;
    const fallback = (await currentConsentTexts())[purpose].id;
    for (const askId of changed) {
      const given = (
        await db
          .select({ consentTextId: consentRecords.consentTextId })
          .from(consentRecords)
          .where(
            and(
              eq(consentRecords.askId, askId),
              eq(consentRecords.purpose, purpose),
              eq(consentRecords.action, "given"),
            ),
          )
          .orderBy(desc(consentRecords.id))
          .limit(1)
      )[0];
      await db.insert(consentRecords).values({
        askId,
        purpose,
        consentTextId: given?.consentTextId ?? fallback,
        action: "withdrawn",
        method,
        at: now.toISOString(),
      });
    }
    return changed.length;
  });
}

/** The consent records of these asks, oldest first, each with the wording and version it was under. */
export async function listConsentRecords({ askIds }: { askIds: number[] }) {
  if (askIds.length === 0) return [];
  return await db
    .select({
      askId: consentRecords.askId,
      purpose: consentRecords.purpose,
      action: consentRecords.action,
      method: consentRecords.method,
      at: consentRecords.at,
      version: consentTexts.version,
      wording: consentTexts.wording,
    })
    .from(consentRecords)
    .innerJoin(consentTexts, eq(consentTexts.id, consentRecords.consentTextId))
    .where(inArray(consentRecords.askId, askIds))
    .orderBy(asc(consentRecords.id));
}

/** Deletes the consent records of erased asks. Call inside the erasure's write transaction. */
export async function deleteConsentRecords({ askIds }: { askIds: number[] }) {
  return writeTransaction(db, async () => {
    if (askIds.length === 0) return 0;
    return changedRows(await db.delete(consentRecords).where(inArray(consentRecords.askId, askIds)));
  });
}

/**
 * For the supporter export: the newest "given" updates record of an ask, as
 * a correlated subquery's id (a confirmed ask opted in has one).
 */
export const newestUpdatesConsentId = sql<number | null>`(select ${consentRecords.id} from ${consentRecords}
  where ${consentRecords.askId} = ${asks.id} and ${consentRecords.purpose} = 'updates' and ${consentRecords.action} = 'given'
  order by ${consentRecords.id} desc limit 1)`;
