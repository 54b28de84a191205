// Builders for importer inputs: plain rows with overrides, turned into files in
// the same formats as the real downloads (column order, quoting, line endings);
// and, at the end, factories that insert a few rows straight into the database.
// Every person, email and number here is invented; real constituency names and
// GSS codes appear only where a test needs a real-world quirk.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  candidacies,
  constituencies,
  elections,
  hexes,
  hexLayouts,
  parties as partiesTable,
  postcodes,
} from "#db/schema";
import type { HexLayoutKind, Nation } from "#db/enums";
import { writeTransaction } from "#db/index";
import { confirmAsk, submitAsk, type NewAsk } from "~/models/ask.server";
import { findCampaign, saveCampaign, type CampaignSettings } from "~/models/campaign.server";
import { claimDueMail, enqueueMail, markFailed } from "~/models/outbox.server";
import { recordPledgeByCampaign, type Answers } from "~/models/pledge.server";
import { db } from "~/utils/db.server";
import { outboxRows } from "./db";
import { tokenIn } from "./links";

// One folder per test file. A file keeps its name across writes because the
// name matters: a HexJSON layout's id is its file name.
let inputDir: string | undefined;

/** Writes an input file into this test file's temp folder and returns its path. */
export function writeInputFile(name: string, contents: string | Uint8Array): string {
  inputDir ??= mkdtempSync(join(tmpdir(), "pledge-import-"));
  const path = join(inputDir, name);
  writeFileSync(path, contents);
  return path;
}

// ---------------------------------------------------------------- CSV

/** A cell written exactly as given, for quirks such as `""` meaning empty. */
export type RawCell = { raw: string };
export type Row = Record<string, string | number | RawCell | null | undefined>;

export function raw(text: string): RawCell {
  return { raw: text };
}

function cell(value: Row[string]): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") return value.raw;
  const text = String(value);
  // Quote only when needed, as the HoC, ONS and DC exports do.
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows to CSV text with the given columns (in order) and record terminator. */
export function toCsv(rows: Row[], { columns, eol = "\n" }: { columns: readonly string[]; eol?: "\n" | "\r\n" }) {
  return [columns.join(","), ...rows.map((row) => columns.map((c) => cell(row[c])).join(","))].join(eol) + eol;
}

// ---------------------------------------------------------------- constituencies

export type Seat = {
  gssCode: string;
  name: string;
  nameCy: string | null;
  nation: Nation;
  regionCode: string;
  regionName: string;
  electorate: number | string;
};

const nationRegions: Record<Nation, { regionCode: string; regionName: string }> = {
  England: { regionCode: "E12000007", regionName: "London" },
  Scotland: { regionCode: "S92000003", regionName: "Scotland" },
  Wales: { regionCode: "W92000004", regionName: "Wales" },
  "Northern Ireland": { regionCode: "N92000002", regionName: "Northern Ireland" },
};

let seatNumber = 0;

/**
 * A constituency. By default an invented English seat with a code in the
 * 9xxx block ONS has not issued, so it can never be mistaken for a real one.
 */
export function buildSeat(overrides: Partial<Seat> = {}): Seat {
  seatNumber++;
  const nation = overrides.nation ?? "England";
  return {
    gssCode: `E1400${9100 + seatNumber}`,
    name: `Fenhallow ${seatNumber}`,
    nameCy: null,
    nation,
    ...nationRegions[nation],
    electorate: 70_000 + seatNumber,
    ...overrides,
  };
}

/** Real seats whose names or codes carry the 2024 data's quirks. */
export const realSeats = {
  queensPark: {
    gssCode: "E14001435",
    name: "Queen's Park and Maida Vale",
    nameCy: null,
    nation: "England",
    regionCode: "E12000007",
    regionName: "London",
    electorate: 71_001,
  },
  glyndwr: {
    gssCode: "W07000102",
    name: "Montgomeryshire and Glyndŵr",
    nameCy: "Maldwyn a Glyndŵr",
    nation: "Wales",
    regionCode: "W92000004",
    regionName: "Wales",
    electorate: 72_002,
  },
  ynysMon: {
    gssCode: "W07000112",
    name: "Ynys Môn",
    nameCy: "Ynys Môn",
    nation: "Wales",
    regionCode: "W92000004",
    regionName: "Wales",
    electorate: 53_003,
  },
  ayr: {
    gssCode: "S14000107",
    name: "Ayr, Carrick and Cumnock",
    nameCy: null,
    nation: "Scotland",
    regionCode: "S92000003",
    regionName: "Scotland",
    electorate: 70_004,
  },
  belfastEast: {
    gssCode: "N05000001",
    name: "Belfast East",
    nameCy: null,
    nation: "Northern Ireland",
    regionCode: "N92000002",
    regionName: "Northern Ireland",
    electorate: 72_005,
  },
} satisfies Record<string, Seat>;

// The House of Commons Library results-by-constituency header, in its order.
export const hocColumns = [
  "ONS ID",
  "ONS region ID",
  "Constituency name",
  "County name",
  "Region name",
  "Country name",
  "Constituency type",
  "Declaration time",
  "Member first name",
  "Member surname",
  "Member gender",
  "Result",
  "First party",
  "Second party",
  "Electorate",
  "Valid votes",
  "Invalid votes",
  "Majority",
  "Con",
  "Lab",
  "LD",
  "RUK",
  "Green",
  "SNP",
  "PC",
  "DUP",
  "SF",
  "SDLP",
  "UUP",
  "APNI",
  "All other candidates",
  "Of which other winner",
] as const;

export function hocRow(seat: Seat): Row {
  return {
    "ONS ID": seat.gssCode,
    "ONS region ID": seat.regionCode,
    "Constituency name": seat.name,
    "Region name": seat.regionName,
    "Country name": seat.nation,
    "Constituency type": "County",
    "Member first name": "Morwenna",
    "Member surname": "Tresidder",
    "Member gender": "Female",
    Result: "Lab gain from Con",
    "First party": "Lab",
    "Second party": "Con",
    Electorate: seat.electorate,
    "Valid votes": 40_000,
    "Invalid votes": 120,
    Majority: 3_000,
    Con: 15_000,
    Lab: 18_000,
    LD: 7_000,
    "All other candidates": 0,
    "Of which other winner": 0,
  };
}

export function hocCsv(seats: Seat[], { columns = hocColumns }: { columns?: readonly string[] } = {}) {
  return toCsv(seats.map(hocRow), { columns });
}

export const onsColumns = ["PCON24CD", "PCON24NM", "PCON24NMW", "ObjectId"] as const;

export function onsCsv(seats: Seat[]) {
  return toCsv(
    seats.map((seat, i) => ({ PCON24CD: seat.gssCode, PCON24NM: seat.name, PCON24NMW: seat.nameCy, ObjectId: i + 1 })),
    { columns: onsColumns },
  );
}

// ---------------------------------------------------------------- candidates

// Democracy Club's default export columns, exactly.
export const dcDefaultColumns = [
  "person_id",
  "person_name",
  "election_id",
  "ballot_paper_id",
  "election_date",
  "election_current",
  "party_name",
  "party_id",
  "post_label",
  "cancelled_poll",
  "seats_contested",
] as const;

// The full export (field_group=candidacy&field_group=person), 38 columns.
export const dcFullColumns = [
  ...dcDefaultColumns,
  "party_description_text",
  "legacy_party_id",
  "party_list_position",
  "party_lists_in_use",
  "previous_party_affiliations",
  "email",
  "facebook_page_url",
  "facebook_personal_url",
  "homepage_url",
  "blog_url",
  "linkedin_url",
  "party_ppc_page_url",
  "twitter_username",
  "mastodon_username",
  "wikipedia_url",
  "wikidata_id",
  "youtube_profile",
  "instagram_url",
  "blue_sky_url",
  "threads_url",
  "tiktok_url",
  "other_url",
  "gender",
  "birth_date",
  "favourite_biscuit",
  "statement_to_voters",
  "image",
] as const;

// Open Innovations' reduced list, with its own party_key and checked pcon24cd.
export const oiColumns = [
  "person_id",
  "person_name",
  "image",
  "election_id",
  "party_key",
  "party_name",
  "pcon24cd",
  "post_label",
  "cancelled_poll",
] as const;

export type CandidateRow = Partial<
  Record<(typeof dcFullColumns)[number] | "gss" | "pcon24cd" | "party_key", Row[string]>
>;

export const parties = {
  labour: { party_id: "PP53", party_name: "Labour Party" },
  conservative: { party_id: "PP52", party_name: "Conservative and Unionist Party" },
  conservativeNi: { party_id: "PP51", party_name: "Conservative and Unionist Party" },
  green: { party_id: "PP63", party_name: "Green Party" },
  greenNi: { party_id: "PP305", party_name: "Green Party" },
  libDem: { party_id: "PP90", party_name: "Liberal Democrats" },
  independent: { party_id: "ynmp-party:2", party_name: "Independent" },
} as const;

const firstNames = ["Ada", "Bryn", "Cerys", "Dev", "Elspeth", "Fergus", "Greer", "Hamza", "Iona", "Jory"];
const surnames = [
  "Ashgrove",
  "Blackthorn",
  "Caddick",
  "Dunmore",
  "Elwood",
  "Fairlie",
  "Garside",
  "Hollins",
  "Ingleby",
  "Jessop",
];
let personNumber = 0;

/** One candidacy row for the 2024 general election in the given seat. Person ids start at 900001, far above any real one. */
export function buildCandidate(
  seat: Pick<Seat, "name" | "gssCode">,
  overrides: CandidateRow = {},
): CandidateRow & { person_id: string } {
  personNumber++;
  return {
    person_name: `${firstNames[personNumber % 10]} ${surnames[Math.floor(personNumber / 10) % 10]}`,
    election_id: "parl.2024-07-04",
    ballot_paper_id: `parl.${slugOf(seat.name)}.2024-07-04`,
    election_date: "2024-07-04",
    election_current: "t",
    ...parties.labour,
    post_label: seat.name,
    cancelled_poll: "f",
    seats_contested: 1,
    ...overrides,
    person_id: String(overrides.person_id ?? 900_000 + personNumber),
  };
}

// Written out here, not imported from the app, so a bug in slugify cannot hide
// itself by producing the same wrong ids in the fixtures.
function slugOf(name: string) {
  const known: Record<string, string> = {
    "Queen's Park and Maida Vale": "queens-park-and-maida-vale",
    "Montgomeryshire and Glyndŵr": "montgomeryshire-and-glyndwr",
    "Ynys Môn": "ynys-mon",
    "Ayr, Carrick and Cumnock": "ayr-carrick-and-cumnock",
    "Belfast East": "belfast-east",
  };
  const plain = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/['’]/g, "")
    .toLowerCase();
  return known[name] ?? plain.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

// In the full export, emails, links and handles are wrapped in an extra pair of
// double quotes (the raw cell is `"""x@y.org"""`).
const wrappedColumns = new Set([
  "email",
  "facebook_page_url",
  "facebook_personal_url",
  "homepage_url",
  "blog_url",
  "linkedin_url",
  "party_ppc_page_url",
  "twitter_username",
  "mastodon_username",
  "wikipedia_url",
  "youtube_profile",
  "instagram_url",
  "blue_sky_url",
  "threads_url",
  "tiktok_url",
  "other_url",
]);

/**
 * A Democracy Club export. The full form reproduces its quirks: wrapped
 * link values, and `""` for empty text fields the way DC writes them.
 */
export function dcCsv(
  rows: CandidateRow[],
  {
    format = "default",
    extraColumns = [],
    eol = "\n",
  }: { format?: "default" | "full"; extraColumns?: string[]; eol?: "\n" | "\r\n" } = {},
) {
  const columns = [...(format === "full" ? dcFullColumns : dcDefaultColumns), ...extraColumns];
  if (format === "default") return toCsv(rows, { columns, eol });
  const quirky = rows.map((row) => {
    const out: Row = { party_lists_in_use: "f", gender: raw('""'), birth_date: raw('""'), ...row };
    for (const column of wrappedColumns) {
      const value = out[column];
      if (typeof value === "string" && value !== "") out[column] = `"${value}"`;
    }
    return out;
  });
  return toCsv(quirky, { columns, eol });
}

/** Open Innovations' candidates file (CRLF, like the real one). */
export function oiCsv(rows: CandidateRow[]) {
  return toCsv(rows, { columns: oiColumns, eol: "\r\n" });
}

// ---------------------------------------------------------------- HexJSON

export type Hex = { q: number; r: number; n?: string };

/** One hex a line, so a problem's line number points at its hex. */
export function hexJson({ layout = "odd-r", hexes }: { layout?: string; hexes: Record<string, Hex> }) {
  const lines = Object.entries(hexes).map(([code, hex]) => `\t\t${JSON.stringify(code)}: ${JSON.stringify(hex)}`);
  return `{\n\t"layout": ${JSON.stringify(layout)},\n\t"hexes": {\n${lines.join(",\n")}\n\t}\n}\n`;
}

// ---------------------------------------------------------------- rows in the database

// For tests that need a few rows rather than a whole election: each inserts
// one row with invented defaults, and what it needs first (a candidacy its
// constituency, party and election) unless given them.

const testSource = "test factory";

/** Campaign settings, as campaign.json holds them: one invented campaign with two points. */
export function buildCampaignSettings(overrides: Partial<CampaignSettings> = {}): CampaignSettings {
  return {
    name: "Quiet Streets Pledge",
    slug: "quiet-streets",
    summary: "Ask your candidates to pledge to make the streets near schools safe to walk.",
    electionId: "parl.2024-07-04",
    electionName: "UK Parliamentary general election",
    electionDate: "2024-07-04",
    fromEmail: "streets@example.org",
    points: [
      {
        title: "Slow the traffic outside every school.",
        body: "I will back 20 mph limits where children walk to school.",
      },
      { title: "Fund safe crossings.", body: "I will press for a crossing wherever parents ask for one." },
    ],
    askHourlyCap: 20,
    wordingVariants: [{ id: "direct", label: "Direct", opening: "Please sign the pledge.", closing: "Thank you." }],
    messagePrompts: [],
    ...overrides,
  };
}

/** The running campaign (and its election), saved as `npm run campaign` saves it. */
export async function insertCampaign(overrides: Partial<CampaignSettings> = {}) {
  const settings = buildCampaignSettings(overrides);
  await saveCampaign({ settings, savedBy: "npm run campaign", now: new Date() });
  return (await findCampaign())!;
}

export async function insertElection(overrides: Partial<typeof elections.$inferInsert> = {}) {
  return writeTransaction(db, async () => {
    const row = { id: "parl.2024-07-04", date: "2024-07-04", name: "UK Parliamentary general election", ...overrides };
    await db.insert(elections).values(row).onConflictDoNothing();
    return row;
  });
}

export async function insertParty(overrides: Partial<typeof partiesTable.$inferInsert> = {}) {
  return writeTransaction(db, async () => {
    const row = { id: "PP53", name: "Labour Party", source: testSource, ...overrides };
    await db.insert(partiesTable).values(row).onConflictDoNothing();
    return row;
  });
}

/** A constituency: by default an invented English seat (buildSeat), with its slug. */
export async function insertConstituency(overrides: Partial<Seat> & { slug?: string } = {}) {
  return writeTransaction(db, async () => {
    const seat = buildSeat(overrides);
    const row = {
      gssCode: seat.gssCode,
      name: seat.name,
      nameCy: seat.nameCy,
      slug: overrides.slug ?? slugOf(seat.name),
      nation: seat.nation,
      regionCode: seat.regionCode,
      regionName: seat.regionName,
      electorate: Number(seat.electorate),
      source: testSource,
    };
    await db.insert(constituencies).values(row);
    return row;
  });
}

/** A standing candidacy; its constituency, party and election are made too unless given. */
export async function insertCandidacy(
  overrides: Partial<Omit<typeof candidacies.$inferInsert, "id">> & {
    constituency?: { gssCode: string; name: string };
  } = {},
) {
  return writeTransaction(db, async () => {
    const { constituency: given, ...fields } = overrides;
    const constituency = given ?? (fields.constituencyCode ? undefined : await insertConstituency());
    const electionId = fields.electionId ?? (await insertElection()).id;
    const partyId = fields.partyId ?? (await insertParty()).id;
    personNumber++;
    const seatName = constituency?.name ?? "seat";
    const values = {
      electionId,
      personId: String(900_000 + personNumber),
      name: `${firstNames[personNumber % 10]} ${surnames[Math.floor(personNumber / 10) % 10]}`,
      partyId,
      ballotPaperId: `parl.${slugOf(seatName)}.2024-07-04`,
      constituencyCode: constituency?.gssCode ?? fields.constituencyCode!,
      email: null,
      source: testSource,
      ...fields,
    };
    const { id } = (await db.insert(candidacies).values(values).returning({ id: candidacies.id }))[0]!;
    return { id, ...values };
  });
}

/**
 * A postcode in the directory, as the ONSPD import leaves it: `terminatedOn`
 * is ONSPD's month ("2015-06"); `constituencyCode` may be a pseudo-code or null.
 */
export async function insertPostcode({
  postcode,
  constituencyCode = null,
  terminatedOn = null,
}: {
  postcode: string;
  constituencyCode?: string | null;
  terminatedOn?: string | null;
}) {
  return writeTransaction(db, async () => {
    const row = { postcode, constituencyCode, terminatedOn };
    await db.insert(postcodes).values(row);
    return row;
  });
}

/** A hex layout and its hexes, as a HexJSON import leaves them. */
export async function insertHexLayout({
  id = "test-layout",
  layout = "odd-r",
  hexes: cells,
}: {
  id?: string;
  layout?: HexLayoutKind;
  hexes: { constituencyCode: string; q: number; r: number }[];
}) {
  return writeTransaction(db, async () => {
    await db.insert(hexLayouts).values({ id, layout, source: testSource });
    for (const cell of cells) await db.insert(hexes).values({ layoutId: id, ...cell });
    return { id, layout };
  });
}

let askNumber = 0;

/** A supporter's ask as the form submits it (to submitAsk), with overrides. */
export function buildAsk(overrides: Partial<NewAsk> & Pick<NewAsk, "constituencyCode" | "candidacyIds">): NewAsk {
  return {
    name: "Rajan Nair",
    email: "rajan@example.org",
    postcode: "ZZ4 1AA",
    personalMessage: null,
    wordingId: "direct",
    showOnPublicList: false,
    wantsUpdates: false,
    ...overrides,
  };
}

/**
 * A supporter's ask to the given candidacies, submitted and confirmed through
 * the app's own submitAsk and confirmAsk, so its recipients, outbox mails and
 * signing links are the real ones. Each comes from its own client address, to
 * stay clear of the per-address limits.
 */
export async function insertConfirmedAsk({
  now = new Date(),
  // Each ask from a network of its own unless told otherwise, so the review
  // queue's volume rules hold none of them.
  clientIp = `10.${(askNumber >> 8) & 255}.${askNumber & 255}.1`,
  ...overrides
}: Partial<NewAsk> & Pick<NewAsk, "constituencyCode" | "candidacyIds"> & { now?: Date; clientIp?: string }) {
  askNumber++;
  const ask = buildAsk({ email: `supporter${askNumber}@example.org`, ...overrides });
  await submitAsk({ ask, clientIp, now });
  const mail = (await outboxRows("ask-confirmation")).findLast((m) => m.toAddress === ask.email.toLowerCase());
  const confirmed = await confirmAsk({ token: tokenIn(mail?.textBody ?? "", "asks/confirm"), now });
  if (!confirmed) throw new Error(`The ask from ${ask.email} was not confirmed`);
  return confirmed;
}

/** Four numbered points, for tests that need a campaign shaped like the real ones. */
export function buildFourPoints() {
  return ["One", "Two", "Three", "Four"].map((n) => ({
    title: `Point ${n.toLowerCase()}.`,
    body: `What point ${n} asks.`,
  }));
}

/**
 * A pledge as staff record one (`recordPledgeByCampaign`, as `npm run pledge:record` does), by point position:
 * `sign: [1, 2]`. Needs the campaign and the candidacy first.
 */
export async function insertPledgeByCampaign({
  personId,
  sign = [],
  decline = [],
  statement = null,
  now = new Date(),
}: {
  personId: string;
  sign?: number[];
  decline?: number[];
  statement?: string | null;
  now?: Date;
}) {
  const campaign = await findCampaign();
  if (!campaign) throw new Error("insertPledgeByCampaign needs a campaign first (insertCampaign)");
  const answers: Answers = {};
  for (const position of sign) answers[campaign.points[position - 1]!.id] = "signed";
  for (const position of decline) answers[campaign.points[position - 1]!.id] = "declined";
  const result = await recordPledgeByCampaign({
    electionId: campaign.electionId,
    personId,
    answers,
    statement,
    evidenceUrl: "https://example.org/evidence",
    note: testSource,
    recordedBy: testSource,
    now,
  });
  if (result.status !== "recorded") throw new Error(`Could not record a pledge for ${personId}: ${result.status}`);
  return result;
}

/** A mail written to the outbox, as any change that sends one writes it. */
export async function insertQueuedMail(overrides: Partial<Parameters<typeof enqueueMail>[0]> = {}) {
  return writeTransaction(db, async () =>
    enqueueMail({
      kind: "ask-confirmation",
      toAddress: "sam.supporter@example.net",
      toName: "Sam Supporter",
      subject: "Confirm your message",
      textBody: "Dear Sam,\n\nPlease confirm.\n",
      now: new Date(),
      ...overrides,
    }),
  );
}

/** A mail the worker took and the mail server refused for good. */
export async function insertFailedMail(overrides: Partial<Parameters<typeof enqueueMail>[0]> = {}) {
  const id = await insertQueuedMail(overrides);
  await claimDueMail({ now: overrides.now ?? new Date(), limit: 1 });
  await markFailed({ id, error: "550 No such user" });
  return id;
}
