import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { eq, sql, type SQL } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows } from "#db/index";
import { importRuns } from "#db/schema";
import { runImport } from "~/importers/import.server";
import { WithdrawalsNotConfirmed } from "~/importers/problems";
import { db } from "~/utils/db.server";
import { snapshotDatabase } from "../db";
import {
  buildCandidate,
  buildSeat,
  dcCsv,
  hocCsv,
  oiCsv,
  onsCsv,
  parties,
  raw,
  realSeats,
  writeInputFile,
} from "../factories";

const now = () => new Date("2024-06-10T09:00:00.000Z");
const election = "parl.2024-07-04";

const harbury = buildSeat({ name: "Harbury Cross" });
const linwood = buildSeat({ name: "Linwood and Stye" });
const allSeats = [harbury, linwood, ...Object.values(realSeats)];

async function importSeats() {
  await runImport({ path: writeInputFile("hoc.csv", hocCsv(allSeats)), now });
}

async function importFile(
  name: string,
  contents: string,
  options: { dryRun?: boolean; confirmWithdrawals?: boolean } = {},
) {
  return runImport({ path: writeInputFile(name, contents), now, ...options });
}

type CandidacyRow = {
  election_id: string;
  person_id: string;
  name: string;
  party_id: string;
  ballot_paper_id: string;
  constituency_code: string;
  email: string | null;
  homepage_url: string | null;
  links: string | null;
  statement: string | null;
  status: string;
  source: string;
};

async function candidacy(personId: string): Promise<CandidacyRow | undefined> {
  const [row] = await candidacyRows(sql`select * from candidacies where person_id = ${personId}`);
  return row;
}

async function candidacies() {
  return candidacyRows(sql`select * from candidacies order by person_id`);
}

/** The rows with `links` as JSON text: SQLite gives the column's text, PostgreSQL the object parsed. */
async function candidacyRows(query: SQL): Promise<CandidacyRow[]> {
  const rows = await queryRows<Omit<CandidacyRow, "links"> & { links: unknown }>(db, query);
  return rows.map((row) => ({
    ...row,
    links: row.links === null || typeof row.links === "string" ? row.links : JSON.stringify(row.links),
  }));
}

test("the Democracy Club default export (11 columns) adds each candidate in their constituency", async () => {
  await importSeats();
  const ada = buildCandidate(harbury, { person_name: "Ada Quennell", ...parties.labour });
  const bryn = buildCandidate(harbury, { person_name: "Bryn Tolley", ...parties.libDem });
  const cerys = buildCandidate(linwood, { person_name: "Cerys Mawdsley", ...parties.independent });

  const result = await importFile("dc.csv", dcCsv([ada, bryn, cerys]));

  // The counts cover every kind of record: 3 candidacies and 3 parties.
  expect(result).toMatchObject({ kind: "dc-candidates", rows: 3, added: 6, updated: 0, withdrawn: 0 });
  expect(result.changes.filter((c) => c.entity === "candidacy" && c.type === "added")).toHaveLength(3);
  expect(await candidacy(ada.person_id)).toMatchObject({
    election_id: election,
    name: "Ada Quennell",
    party_id: "PP53",
    ballot_paper_id: `parl.harbury-cross.2024-07-04`,
    constituency_code: harbury.gssCode,
    email: null,
    homepage_url: null,
    links: null,
    statement: null,
    status: "standing",
    source: "dc-candidates",
  });
  expect(await candidacy(cerys.person_id)).toMatchObject({
    party_id: "ynmp-party:2",
    constituency_code: linwood.gssCode,
  });
  expect(await queryRows(db, sql`select id, name from parties order by id`)).toEqual([
    { id: "PP53", name: "Labour Party" },
    { id: "PP90", name: "Liberal Democrats" },
    { id: "ynmp-party:2", name: "Independent" },
  ]);
  expect(await queryRows(db, sql`select id, date from elections`)).toEqual([{ id: election, date: "2024-07-04" }]);
});

test("the full export (38 columns): the extra quotes around emails and links are stripped", async () => {
  await importSeats();
  const ada = buildCandidate(harbury, {
    email: "ada.quennell@example.org",
    homepage_url: "https://example.org/ada",
    twitter_username: "AdaForHarbury",
    facebook_page_url: "https://example.org/facebook/ada",
  });
  const file = dcCsv([ada], { format: "full" });
  // The quirk as DC writes it: the cell is `"""ada.quennell@example.org"""`.
  expect(file).toContain('"""ada.quennell@example.org"""');

  await importFile("dc-full.csv", file);

  expect(await candidacy(ada.person_id)).toMatchObject({
    email: "ada.quennell@example.org",
    homepage_url: "https://example.org/ada",
  });
  expect(JSON.parse((await candidacy(ada.person_id))!.links!)).toEqual({
    twitter_username: "AdaForHarbury",
    facebook_page_url: "https://example.org/facebook/ada",
  });
});

test("names in any script, lookalike letters included, and handles in the forms Democracy Club uses are kept", async () => {
  await importSeats();
  // "Аda" begins with a Cyrillic А: lookalikes are real letters of real names.
  const names = ["Аda Quennell", "Siôn ap Dafydd", "محمد علی‌زاده", "O'Brien-Smith Jr."];
  const people = names.map((person_name) => buildCandidate(harbury, { person_name }));
  const linked = buildCandidate(linwood, {
    twitter_username: "CaptainBeanyMP",
    mastodon_username: "@ada@mastodon.social",
    youtube_profile: "https://www.youtube.com/@albaaberdeen23",
    blue_sky_url: "https://bsky.app/profile/ada.example.org",
  });
  const profile = buildCandidate(linwood, { mastodon_username: "https://mastodon.social/@bryn" });

  await importFile("dc-kept.csv", dcCsv([...people, linked, profile], { format: "full" }));

  expect(await Promise.all(people.map(async (p) => (await candidacy(p.person_id))?.name))).toEqual(names);
  expect(JSON.parse((await candidacy(linked.person_id))!.links!)).toEqual({
    twitter_username: "CaptainBeanyMP",
    mastodon_username: "@ada@mastodon.social",
    youtube_profile: "https://www.youtube.com/@albaaberdeen23",
    blue_sky_url: "https://bsky.app/profile/ada.example.org",
  });
  expect(JSON.parse((await candidacy(profile.person_id))!.links!)).toEqual({
    mastodon_username: "https://mastodon.social/@bryn",
  });
});

test('in the full export, an empty value written `""`, written as nothing, or wrapped empty is stored as null', async () => {
  await importSeats();
  const quoted = buildCandidate(harbury, { email: raw('""'), homepage_url: raw('""'), statement_to_voters: raw('""') });
  const bare = buildCandidate(harbury, { email: raw(""), homepage_url: raw(""), statement_to_voters: raw("") });
  const wrapped = buildCandidate(harbury, { email: raw('""""""'), twitter_username: raw('""""""') });

  await importFile("dc-full.csv", dcCsv([quoted, bare, wrapped], { format: "full" }));

  for (const person of [quoted, bare, wrapped]) {
    expect(await candidacy(person.person_id)).toMatchObject({
      email: null,
      homepage_url: null,
      links: null,
      statement: null,
    });
  }
});

test("a multi-line statement is kept, including one with \\r\\n inside the field when records end in \\n", async () => {
  await importSeats();
  const lf = buildCandidate(harbury, { statement_to_voters: "I live here.\n\nI will hold surgeries every week." });
  const crlf = buildCandidate(harbury, { statement_to_voters: "First line.\r\nSecond line.\r\n\r\nLast line." });
  const after = buildCandidate(harbury, { person_name: "Jory Fairlie" });
  const file = dcCsv([lf, crlf, after], { format: "full" });
  expect(file).toContain("First line.\r\nSecond line.");
  expect(file.split("\r\n")).toHaveLength(4); // Only the statement has CRs: records end in \n.

  const result = await importFile("dc-full.csv", file);

  expect(result.changes.filter((c) => c.entity === "candidacy").map((c) => c.key)).toEqual([
    lf.person_id,
    crlf.person_id,
    after.person_id,
  ]);
  expect((await candidacy(lf.person_id))?.statement).toBe("I live here.\n\nI will hold surgeries every week.");
  // Line breaks are stored one way, "\n", whatever the file used.
  expect((await candidacy(crlf.person_id))?.statement).toBe("First line.\nSecond line.\n\nLast line.");
  // The record after the multi-line one is read as its own candidate.
  expect(await candidacy(after.person_id)).toMatchObject({ name: "Jory Fairlie", statement: null });
});

test("emoji, curly quotes, £ and Welsh accents come through intact", async () => {
  await importSeats();
  const gwenno = buildCandidate(realSeats.ynysMon, {
    person_name: "Gwenno Môn Pritchard",
    statement_to_voters: "✖️ No more cuts. “Fair funding” means £40m for Môn’s schools.",
  });

  await importFile("dc-full.csv", dcCsv([gwenno], { format: "full" }));

  expect(await candidacy(gwenno.person_id)).toMatchObject({
    name: "Gwenno Môn Pritchard",
    statement: "✖️ No more cuts. “Fair funding” means £40m for Môn’s schools.",
    constituency_code: "W07000112",
  });
});

test("CRLF and LF line endings read the same: the same rows either way are 0 changes", async () => {
  // The real OI list and DC mismatch sample use CRLF; the other exports LF (pitfall 6).
  await importSeats();
  const rows = [buildCandidate(harbury, { statement_to_voters: "Two\nlines" }), buildCandidate(realSeats.ynysMon)];
  await importFile("dc-lf.csv", dcCsv(rows, { format: "full" }));

  const crlf = dcCsv(rows, { format: "full", eol: "\r\n" });
  expect(crlf).toContain(`${rows[1]!.person_id},`);
  const result = await importFile("dc-crlf.csv", crlf);

  expect(result.changes).toEqual([]);
  expect(result.unchanged).toBe(2);
  expect((await candidacy(rows[0]!.person_id))?.statement).toBe("Two\nlines");
});

test("the Open Innovations file is placed by its pcon24cd and its parties found by name", async () => {
  await importSeats();
  const first = buildCandidate(harbury, { ...parties.labour });
  await importFile("dc.csv", dcCsv([first]));
  // OI's post_label can differ from ours; the checked GSS code decides.
  const elin = buildCandidate(realSeats.glyndwr, {
    person_name: "Elin Caddick",
    pcon24cd: "W07000102",
    post_label: "Montgomeryshire and Glyndwr",
    party_name: "Labour Party",
    party_key: "lab",
  });
  const hamza = buildCandidate(harbury, {
    person_name: "Hamza Dunmore",
    pcon24cd: harbury.gssCode,
    party_name: "Fenland Folk Party",
  });

  const result = await importFile("oi.csv", oiCsv([elin, hamza]), { confirmWithdrawals: true });

  expect(result.kind).toBe("oi-candidates");
  expect(await candidacy(elin.person_id)).toMatchObject({
    constituency_code: "W07000102",
    ballot_paper_id: "parl.montgomeryshire-and-glyndwr.2024-07-04",
    party_id: "PP53",
    source: "oi-candidates",
  });
  // A party the database has never seen gets an id made from its name.
  expect(await candidacy(hamza.person_id)).toMatchObject({ party_id: "name:fenland-folk-party" });
  expect(result.changes).toContainEqual({
    entity: "party",
    type: "added",
    key: "name:fenland-folk-party",
    label: "Fenland Folk Party",
  });
});

test("a party name registered twice (GB and NI) resolves to the one used in the candidate's nation", async () => {
  await importSeats();
  // DC's own ids: "Conservative and Unionist Party" is PP52 in Great Britain and PP51 in Northern Ireland.
  const gbTory = buildCandidate(harbury, { ...parties.conservative });
  const niTory = buildCandidate(realSeats.belfastEast, { ...parties.conservativeNi });
  await importFile("dc.csv", dcCsv([gbTory, niTory]));

  const newGb = buildCandidate(linwood, { pcon24cd: linwood.gssCode, party_name: "Conservative and Unionist Party" });
  const newNi = buildCandidate(realSeats.belfastEast, {
    pcon24cd: "N05000001",
    party_name: "Conservative and Unionist Party",
  });
  const result = await importFile(
    "oi.csv",
    oiCsv([{ ...gbTory, pcon24cd: harbury.gssCode }, { ...niTory, pcon24cd: "N05000001" }, newGb, newNi]),
  );

  expect((await candidacy(newGb.person_id))?.party_id).toBe("PP52");
  expect((await candidacy(newNi.person_id))?.party_id).toBe("PP51");
  // The two already imported keep their parties: nothing about them changed.
  expect(result).toMatchObject({ added: 2, updated: 0, unchanged: 2 });
  expect((await candidacy(gbTory.person_id))?.party_id).toBe("PP52");
});

test("a candidate is found by ballot_paper_id slug, or by post_label ignoring accents", async () => {
  // The ONS file alone names W07000102 "Montgomeryshire and Glyndwr", without the ŵ.
  await importFile(
    "ons.csv",
    onsCsv([{ ...realSeats.glyndwr, name: "Montgomeryshire and Glyndwr" }, realSeats.ynysMon]),
  );
  const byBallot = buildCandidate(realSeats.glyndwr);
  const byLabel = buildCandidate(realSeats.ynysMon, { ballot_paper_id: "" });
  const byLabelWithAccent = buildCandidate(realSeats.glyndwr, { ballot_paper_id: "" });

  await importFile("dc.csv", dcCsv([byBallot, byLabel, byLabelWithAccent]));

  expect(byBallot.ballot_paper_id).toBe("parl.montgomeryshire-and-glyndwr.2024-07-04");
  expect(byLabelWithAccent.post_label).toBe("Montgomeryshire and Glyndŵr");
  expect((await candidacy(byBallot.person_id))?.constituency_code).toBe("W07000102");
  expect((await candidacy(byLabelWithAccent.person_id))?.constituency_code).toBe("W07000102");
  // With no ballot id in the file, the ballot id is made the way DC makes it.
  expect(await candidacy(byLabel.person_id)).toMatchObject({
    constituency_code: "W07000112",
    ballot_paper_id: "parl.ynys-mon.2024-07-04",
  });
});

test("DC's gss column is not trusted: a stale Scottish code or a blank NI one still lands in the right seat", async () => {
  await importSeats();
  // For 2024 DC's gss is a superseded code for five Scottish seats (S14000006
  // was Ayr, Carrick and Cumnock) and blank in Northern Ireland.
  const ayr = buildCandidate(realSeats.ayr, { gss: "S14000006" });
  const belfast = buildCandidate(realSeats.belfastEast, { gss: "" });
  // Even a gss naming another seat we do hold is ignored in favour of the ballot.
  const misfiled = buildCandidate(realSeats.ayr, { gss: harbury.gssCode });

  await importFile("dc-gss.csv", dcCsv([ayr, belfast, misfiled], { extraColumns: ["gss"], eol: "\r\n" }));

  expect((await candidacy(ayr.person_id))?.constituency_code).toBe("S14000107");
  expect((await candidacy(belfast.person_id))?.constituency_code).toBe("N05000001");
  expect((await candidacy(misfiled.person_id))?.constituency_code).toBe("S14000107");
});

test("a newer file that no longer lists someone in a ballot it covers marks them withdrawn; other ballots are untouched", async () => {
  await importSeats();
  const stays = buildCandidate(harbury);
  const leaves = buildCandidate(harbury, { person_name: "Fergus Garside" });
  const elsewhere = buildCandidate(linwood);
  await importFile("dc-may.csv", dcCsv([stays, leaves, elsewhere]));

  // The June file covers Harbury Cross only.
  const result = await importFile("dc-june.csv", dcCsv([stays]), { confirmWithdrawals: true });

  expect(result).toMatchObject({ withdrawn: 1, unchanged: 1, added: 0, updated: 0 });
  expect(result.changes).toEqual([
    {
      entity: "candidacy",
      type: "withdrawn",
      key: leaves.person_id,
      label: "Fergus Garside (Harbury Cross)",
      withdrawal: {
        personId: leaves.person_id,
        name: "Fergus Garside",
        partyName: "Labour Party",
        constituencyName: "Harbury Cross",
      },
    },
  ]);
  // Withdrawn, never deleted: a pledge they signed must still have someone to point at.
  expect((await candidacies()).map((c) => [c.person_id, c.status])).toEqual([
    [stays.person_id, "standing"],
    [leaves.person_id, "withdrawn"],
    [elsewhere.person_id, "standing"],
  ]);
});

test("a withdrawn candidate who is listed again is standing again", async () => {
  await importSeats();
  const stays = buildCandidate(harbury);
  const returns = buildCandidate(harbury);
  await importFile("dc-1.csv", dcCsv([stays, returns]));
  await importFile("dc-2.csv", dcCsv([stays]), { confirmWithdrawals: true });
  expect((await candidacy(returns.person_id))?.status).toBe("withdrawn");

  const result = await importFile("dc-3.csv", dcCsv([stays, returns]));

  expect((await candidacy(returns.person_id))?.status).toBe("standing");
  expect(result.changes).toEqual([
    expect.objectContaining({ type: "updated", key: returns.person_id, details: ['status: "withdrawn" → "standing"'] }),
  ]);
});

test("a shorter export does not blank the email, links or statement a full one provided", async () => {
  await importSeats();
  const ada = buildCandidate(harbury, {
    email: "ada@example.org",
    homepage_url: "https://example.org/ada",
    twitter_username: "AdaQ",
    statement_to_voters: "Vote for me.",
  });
  await importFile("dc-full.csv", dcCsv([ada], { format: "full" }));

  const short = await importFile("dc.csv", dcCsv([ada]));
  const oi = await importFile("oi.csv", oiCsv([{ ...ada, pcon24cd: harbury.gssCode }]));

  expect(short.changes).toEqual([]);
  expect(oi.changes).toEqual([]);
  expect(await candidacy(ada.person_id)).toMatchObject({
    email: "ada@example.org",
    homepage_url: "https://example.org/ada",
    links: JSON.stringify({ twitter_username: "AdaQ" }),
    statement: "Vote for me.",
  });
});

test("importing the same file twice: the second import reports no changes and writes nothing but its run", async () => {
  await importSeats();
  const file = dcCsv(
    [
      buildCandidate(harbury, { email: "a@example.org", statement_to_voters: "Line one\r\nLine two" }),
      buildCandidate(realSeats.glyndwr, { ...parties.green }),
      buildCandidate(realSeats.ayr, { ...parties.independent }),
    ],
    { format: "full" },
  );
  await importFile("dc-full.csv", file);
  const before = await snapshotDatabase();

  const again = await importFile("dc-full.csv", file);

  expect(again.changes).toEqual([]);
  expect(again).toMatchObject({ rows: 3, added: 0, updated: 0, withdrawn: 0, unchanged: 3 });
  const after = await snapshotDatabase();
  expect(after.candidacies).toEqual(before.candidacies);
  expect(after.parties).toEqual(before.parties);
});

test("when DC merges two person records, the new id is added and the old one withdrawn", async () => {
  await importSeats();
  const old = buildCandidate(harbury, { person_id: "900501", person_name: "Iona Blackthorn" });
  await importFile("dc-may.csv", dcCsv([old]));

  const merged = { ...old, person_id: "900077" };
  const result = await importFile("dc-june.csv", dcCsv([merged]), { confirmWithdrawals: true });

  expect(result.changes.map((c) => [c.type, c.key])).toEqual([
    ["added", "900077"],
    ["withdrawn", "900501"],
  ]);
  expect((await candidacy("900077"))?.status).toBe("standing");
  expect((await candidacy("900501"))?.status).toBe("withdrawn");
});

test("each import records a run with the file's SHA-256 and its counts", async () => {
  await importSeats();
  const path = writeInputFile("dc-run.csv", dcCsv([buildCandidate(harbury), buildCandidate(linwood)]));

  await runImport({ path, now });

  const runs = await db.select().from(importRuns).where(eq(importRuns.kind, "dc-candidates"));
  expect(runs).toEqual([
    {
      id: expect.any(Number),
      kind: "dc-candidates",
      fileName: "dc-run.csv",
      sha256: createHash("sha256").update(readFileSync(path)).digest("hex"),
      dryRun: false,
      rows: 2,
      added: 3, // 2 candidacies and the Labour Party
      updated: 0,
      withdrawn: 0,
      removed: 0,
      unchanged: 0,
      startedAt: "2024-06-10T09:00:00.000Z",
      finishedAt: "2024-06-10T09:00:00.000Z",
    },
  ]);
});

test("a dry run reports what would change and writes nothing", async () => {
  await importSeats();
  const stays = buildCandidate(harbury);
  const leaves = buildCandidate(harbury);
  await importFile("dc-1.csv", dcCsv([stays, leaves]));
  const before = await snapshotDatabase();

  const result = await importFile("dc-2.csv", dcCsv([stays, buildCandidate(harbury, { ...parties.green })]), {
    dryRun: true,
  });

  expect(result).toMatchObject({ dryRun: true, added: 2, withdrawn: 1, unchanged: 1 });
  expect(result.changes.map((c) => [c.entity, c.type])).toEqual([
    ["party", "added"],
    ["candidacy", "added"],
    ["candidacy", "withdrawn"],
  ]);
  expect(await snapshotDatabase()).toEqual(before);
});

test("an import that would withdraw someone writes nothing unless told to, and says who", async () => {
  await importSeats();
  const stays = buildCandidate(harbury);
  const leaves = buildCandidate(harbury, { person_name: "Fergus Garside", ...parties.libDem });
  await importFile("dc-1.csv", dcCsv([stays, leaves]));
  const before = await snapshotDatabase();
  const newer = dcCsv([stays, buildCandidate(harbury, { ...parties.green })]);

  let refused: unknown;
  try {
    await importFile("dc-2.csv", newer);
  } catch (error) {
    refused = error;
  }

  expect(refused).toBeInstanceOf(WithdrawalsNotConfirmed);
  expect((refused as WithdrawalsNotConfirmed).withdrawals).toEqual([
    {
      personId: leaves.person_id,
      name: "Fergus Garside",
      partyName: "Liberal Democrats",
      constituencyName: "Harbury Cross",
    },
  ]);
  // Not even the new candidate or party was added.
  expect(await snapshotDatabase()).toEqual(before);

  // A dry run lists the same withdrawal, without being told anything.
  const dryRun = await importFile("dc-2.csv", newer, { dryRun: true });
  expect(dryRun.changes.filter((c) => c.type === "withdrawn").map((c) => c.withdrawal)).toEqual([
    (refused as WithdrawalsNotConfirmed).withdrawals[0],
  ]);

  const confirmed = await importFile("dc-2.csv", newer, { confirmWithdrawals: true });
  expect(confirmed).toMatchObject({ withdrawn: 1, added: 2 });
  expect((await candidacy(leaves.person_id))?.status).toBe("withdrawn");
});
