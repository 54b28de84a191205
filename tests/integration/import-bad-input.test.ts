import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import type { ImportKind } from "#db/enums";
import { runImport } from "~/importers/import.server";
import { ImportFailed, type Problem } from "~/importers/problems";
import { ownSqliteFileEnv, snapshotDatabase } from "../db";
import {
  buildCandidate,
  buildSeat,
  dcCsv,
  dcDefaultColumns,
  hexJson,
  hocColumns,
  hocCsv,
  oiCsv,
  onsCsv,
  toCsv,
  writeInputFile,
} from "../factories";

const now = () => new Date("2024-06-01T12:00:00.000Z");
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

const harbury = buildSeat({ name: "Harbury Cross" });
const linwood = buildSeat({ name: "Linwood and Stye" });

/** A database with something in every imported table, so "unchanged" means something. */
async function seed() {
  await runImport({ path: writeInputFile("hoc.csv", hocCsv([harbury, linwood])), now });
  await runImport({ path: writeInputFile("dc.csv", dcCsv([buildCandidate(harbury), buildCandidate(linwood)])), now });
  await runImport({
    path: writeInputFile(
      "uk.hexjson",
      hexJson({ hexes: { [harbury.gssCode]: { q: 0, r: 0 }, [linwood.gssCode]: { q: 1, r: 0 } } }),
    ),
    now,
  });
}

/**
 * Runs an import that must fail and returns its problems, having checked that
 * the database is exactly as it was before: every row of every table.
 */
async function failedImport({ path, kind }: { path: string; kind?: ImportKind }): Promise<Problem[]> {
  const before = await snapshotDatabase();
  expect(before.constituencies).not.toEqual([]);
  let problems: Problem[] | undefined;
  try {
    await runImport({ path, kind, now });
  } catch (error) {
    if (!(error instanceof ImportFailed)) throw error;
    problems = error.problems;
  }
  expect(problems, "the import should have failed").toBeDefined();
  expect(await snapshotDatabase()).toEqual(before);
  return problems ?? [];
}

test("a missing column is named, with the columns that were found", async () => {
  await seed();
  const path = writeInputFile(
    "hoc-no-electorate.csv",
    hocCsv([harbury], { columns: hocColumns.filter((c) => c !== "Electorate") }),
  );

  const problems = await failedImport({ path, kind: "hoc-constituencies" });

  expect(problems).toEqual([
    {
      file: "hoc-no-electorate.csv",
      line: 1,
      column: "Electorate",
      message: expect.stringMatching(/^the header has no "Electorate" column \(found: ONS ID, ONS region ID, /),
    },
  ]);
});

test("a candidates file missing party_id, imported as DC, names that column", async () => {
  await seed();
  const columns = dcDefaultColumns.filter((c) => c !== "party_id");
  const path = writeInputFile("dc-no-party-id.csv", toCsv([buildCandidate(harbury)], { columns }));

  expect(await failedImport({ path, kind: "dc-candidates" })).toEqual([
    expect.objectContaining({ file: "dc-no-party-id.csv", line: 1, column: "party_id" }),
  ]);
  // Without --kind the file is not recognisable as anything, and says so.
  expect(await failedImport({ path })).toEqual([
    expect.objectContaining({
      file: "dc-no-party-id.csv",
      line: 1,
      message: expect.stringMatching(/^cannot tell what this file is/),
    }),
  ]);
});

test("an electorate that is not a number is reported with its line, column and value", async () => {
  await seed();
  const path = writeInputFile("hoc-bad.csv", hocCsv([buildSeat(), buildSeat({ electorate: "lots" })]));

  expect(await failedImport({ path })).toEqual([
    { file: "hoc-bad.csv", line: 3, column: "Electorate", message: 'must be a whole number (got "lots")' },
  ]);
});

test("a bad email in the full DC export is reported on its line", async () => {
  await seed();
  const path = writeInputFile(
    "dc-bad-email.csv",
    dcCsv([buildCandidate(harbury, { email: "ok@example.org" }), buildCandidate(harbury, { email: "not-an-email" })], {
      format: "full",
    }),
  );

  expect(await failedImport({ path })).toEqual([
    {
      file: "dc-bad-email.csv",
      line: 3,
      column: "email",
      message: expect.stringMatching(/^must be an email address \(got .*not-an-email/),
    },
  ]);
});

test("every bad row is reported in one run, not just the first", async () => {
  await seed();
  const path = writeInputFile(
    "hoc-many-bad.csv",
    hocCsv([
      buildSeat({ electorate: "lots" }),
      buildSeat(),
      buildSeat({ electorate: "-5" }),
      buildSeat({ gssCode: "X123" }),
    ]),
  );

  expect((await failedImport({ path })).map((p) => [p.line, p.column])).toEqual([
    [2, "Electorate"],
    [4, "Electorate"],
    [5, "ONS ID"],
  ]);
});

test("the same GSS code twice is a duplicate, and the message names the line it first appeared on", async () => {
  await seed();
  const twin = buildSeat();
  const path = writeInputFile("hoc-dup.csv", hocCsv([twin, buildSeat(), { ...twin, name: "Twinford" }]));

  expect(await failedImport({ path })).toEqual([
    { file: "hoc-dup.csv", line: 4, column: "ONS ID", message: `duplicate "${twin.gssCode}" (first seen on line 2)` },
  ]);
});

test("the same person_id twice is a duplicate, and the message names the line it first appeared on", async () => {
  await seed();
  const ada = buildCandidate(harbury);
  const path = writeInputFile(
    "dc-dup.csv",
    dcCsv([buildCandidate(linwood), ada, buildCandidate(linwood), { ...ada, post_label: "Linwood and Stye" }]),
  );

  expect(await failedImport({ path })).toEqual([
    {
      file: "dc-dup.csv",
      line: 5,
      column: "person_id",
      message: `duplicate "parl.2024-07-04 ${ada.person_id}" (first seen on line 3)`,
    },
  ]);
});

test("candidate names that start like a formula, hold control characters or hide or reorder text are refused as bad values", async () => {
  await seed();
  const path = writeInputFile(
    "dc-names.csv",
    dcCsv([
      buildCandidate(harbury, { person_name: '=HYPERLINK("http://evil.example","Ada")' }),
      buildCandidate(harbury, { person_name: "+44 Bob" }),
      buildCandidate(harbury, { person_name: "-Cara" }),
      buildCandidate(harbury, { person_name: "@Dev" }),
      buildCandidate(harbury, { person_name: "Eve \u202Enosliw" }),
      buildCandidate(harbury, { person_name: "Fa\u200Bye" }),
      buildCandidate(harbury, { party_name: "=1+1", party_id: "PP9999" }),
      // The ask form's rule for a supporter's name, which goes into mail headers as a candidate's does.
      buildCandidate(harbury, { person_name: "Gil\u0007es" }),
    ]),
  );

  expect(await failedImport({ path })).toEqual([
    {
      file: "dc-names.csv",
      line: 2,
      column: "person_name",
      message: `must not start with =, +, - or @ (got "=HYPERLINK("http://evil.example","Ada")")`,
    },
    {
      file: "dc-names.csv",
      line: 3,
      column: "person_name",
      message: 'must not start with =, +, - or @ (got "+44 Bob")',
    },
    { file: "dc-names.csv", line: 4, column: "person_name", message: 'must not start with =, +, - or @ (got "-Cara")' },
    { file: "dc-names.csv", line: 5, column: "person_name", message: 'must not start with =, +, - or @ (got "@Dev")' },
    {
      file: "dc-names.csv",
      line: 6,
      column: "person_name",
      // The override is spelled out, so it cannot reorder the message itself.
      message: 'must not contain characters that change the direction of text (got "Eve \\u{202E}nosliw")',
    },
    {
      file: "dc-names.csv",
      line: 7,
      column: "person_name",
      message: 'must not contain invisible characters (got "Fa\\u{200B}ye")',
    },
    { file: "dc-names.csv", line: 8, column: "party_name", message: 'must not start with =, +, - or @ (got "=1+1")' },
    {
      file: "dc-names.csv",
      line: 9,
      column: "person_name",
      message: 'must only include letters, spaces and punctuation (got "Gil\\u{7}es")',
    },
  ]);
});

test("a link that is not http(s), in any link column, is refused; so is a handle that is not a handle", async () => {
  await seed();
  const path = writeInputFile(
    "dc-links.csv",
    dcCsv(
      [
        buildCandidate(harbury, { mastodon_username: "javascript:alert(document.cookie)" }),
        buildCandidate(harbury, { twitter_username: "javascript:alert(1)" }),
        buildCandidate(harbury, { youtube_profile: "javascript:alert(1)" }),
        buildCandidate(harbury, { blue_sky_url: "data:text/html,<script>alert(1)</script>" }),
        buildCandidate(harbury, { homepage_url: "vbscript:msgbox(1)" }),
        buildCandidate(harbury, { party_ppc_page_url: "//evil.example/no-scheme" }),
      ],
      { format: "full" },
    ),
  );

  expect((await failedImport({ path })).map((p) => [p.line, p.column, p.message.replace(/ \(got .*/, "")])).toEqual([
    [
      2,
      "mastodon_username",
      "must be a Mastodon account such as @name@mastodon.social, or a web address starting http:// or https://",
    ],
    [3, "twitter_username", "must be an X (Twitter) username, such as CaptainBeanyMP"],
    [4, "youtube_profile", "must be a web address starting http:// or https://"],
    [5, "blue_sky_url", "must be a web address starting http:// or https://"],
    [6, "homepage_url", "must be a web address starting http:// or https://"],
    [7, "party_ppc_page_url", "must be a web address starting http:// or https://"],
  ]);
});

test("a HexJSON keyed by a superseded GSS code names the code and its line", async () => {
  await seed();
  // The odileeds 2023 layout still keys Ayr, Carrick and Cumnock by S14000006 (now S14000107).
  const path = writeInputFile(
    "uk-2023.hexjson",
    hexJson({
      hexes: {
        [harbury.gssCode]: { q: 0, r: 0, n: "Harbury Cross" },
        S14000006: { q: 2, r: 0, n: "Ayr, Carrick and Cumnock" },
      },
    }),
  );

  expect(await failedImport({ path })).toEqual([
    {
      file: "uk-2023.hexjson",
      line: 5,
      column: "S14000006",
      message:
        'no constituency has the GSS code S14000006 ("Ayr, Carrick and Cumnock"); import constituencies first, or check for a superseded code',
    },
  ]);
});

test("two hexes on the same position are refused", async () => {
  await seed();
  const path = writeInputFile(
    "clash.hexjson",
    hexJson({ hexes: { [harbury.gssCode]: { q: 3, r: -1 }, [linwood.gssCode]: { q: 3, r: -1 } } }),
  );

  expect(await failedImport({ path })).toEqual([
    {
      file: "clash.hexjson",
      line: 5,
      column: linwood.gssCode,
      message: `q=3, r=-1 is already taken by ${harbury.gssCode}`,
    },
  ]);
});

test("a HexJSON with an unknown layout kind is refused", async () => {
  await seed();
  const path = writeInputFile(
    "square.hexjson",
    hexJson({ layout: "square", hexes: { [harbury.gssCode]: { q: 0, r: 0 } } }),
  );

  expect(await failedImport({ path })).toEqual([
    { file: "square.hexjson", message: '"layout" must be one of odd-r, even-r, odd-q, even-q' },
  ]);
});

test("invalid JSON is reported with the line of the mistake", async () => {
  await seed();
  const path = writeInputFile(
    "broken.hexjson",
    `{\n\t"layout": "odd-r",\n\t"hexes": {\n\t\t"${harbury.gssCode}": {"q": 0 "r": 0}\n\t}\n}\n`,
  );

  expect(await failedImport({ path })).toEqual([
    { file: "broken.hexjson", line: 4, message: expect.stringMatching(/^the file is not valid JSON: /) },
  ]);
});

test("a file that is not UTF-8 (Excel's Windows-1252) is refused, naming the first bad byte and its line", async () => {
  await seed();
  const text = hocCsv([buildSeat(), buildSeat({ name: "Ashby de la Zouche" })]).replace("Zouche", "Zouch\u00e9");
  // 0xE9 is é in Windows-1252; on its own it is not valid UTF-8.
  const bytes = Buffer.from(text, "latin1");
  const path = writeInputFile("hoc-1252.csv", bytes);

  expect(await failedImport({ path })).toEqual([
    {
      file: "hoc-1252.csv",
      line: 3,
      message: `the file is not UTF-8: byte 0xe9 at column 38 of the line (offset ${bytes.indexOf(0xe9)} in the file); save it as UTF-8 and try again`,
    },
  ]);
});

test("the bad byte is found after valid multi-byte characters, and at the end of a line", async () => {
  await seed();
  // "Môn" is valid UTF-8 (0xC3 0xB4); the 0xE9 just before the line break is not.
  const bytes = Buffer.concat([
    Buffer.from("PCON24CD,PCON24NM,PCON24NMW\nW07000112,Ynys Môn,Ynys Môn\nE14009150,Café,Caf"),
    Buffer.from([0xe9]),
    Buffer.from("\nE14009151,Dale,\n"),
  ]);
  const path = writeInputFile("ons-mixed.csv", bytes);

  expect(await failedImport({ path })).toEqual([
    expect.objectContaining({
      line: 3,
      message: expect.stringContaining(
        `byte 0xe9 at column 20 of the line (offset ${bytes.indexOf(0xe9)} in the file)`,
      ),
    }),
  ]);
});

test("a UTF-8 byte-order mark is fine", async () => {
  await seed();
  const path = writeInputFile("hoc-bom.csv", `\ufeff${hocCsv([harbury, linwood])}`);

  expect(await runImport({ path, now })).toMatchObject({ kind: "hoc-constituencies", rows: 2, unchanged: 2 });
});

test("a candidates file cut off inside its last record (no line break at the end) is refused, and withdraws no one", async () => {
  await seed();
  const full = dcCsv(
    [buildCandidate(harbury, { homepage_url: "https://ada.example.org/about" }), buildCandidate(harbury)],
    {
      format: "full",
    },
  );
  // The last record stops inside its last value (an interrupted download):
  // every column is there, so nothing else about it looks wrong.
  const path = writeInputFile("dc-cut.csv", full.slice(0, -4));

  expect(await failedImport({ path })).toEqual([
    {
      file: "dc-cut.csv",
      line: 3,
      message: expect.stringMatching(
        /^the file ends in the middle of a line, with no line break after the last record: it looks cut short/,
      ),
    },
  ]);
});

test("a file cut off inside a quoted value is refused, naming the line its record starts on", async () => {
  await seed();
  const rows = [
    buildCandidate(harbury),
    buildCandidate(harbury, { statement_to_voters: "First line.\nSecond line.\nThird." }),
  ];
  const full = dcCsv(rows, { format: "full" });
  const path = writeInputFile("dc-cut-quote.csv", `${full.slice(0, full.indexOf("Second line.") + 7)}\n`);

  expect(await failedImport({ path })).toEqual([
    {
      file: "dc-cut-quote.csv",
      line: 3,
      message: expect.stringMatching(
        /^a quoted value in the record starting on this line is never closed: the file looks cut short/,
      ),
    },
  ]);
});

test("every CSV kind is refused when cut short: constituencies too", async () => {
  await seed();
  const path = writeInputFile("ons-cut.csv", onsCsv([harbury, linwood]).slice(0, -3));

  expect(await failedImport({ path })).toEqual([
    expect.objectContaining({ file: "ons-cut.csv", line: 3, message: expect.stringContaining("cut short") }),
  ]);
});

test("a column named twice in the header is refused, naming it and its positions", async () => {
  await seed();
  const path = writeInputFile("hoc-twice.csv", hocCsv([harbury], { columns: [...hocColumns, "Electorate"] }));

  expect(await failedImport({ path })).toEqual([
    {
      file: "hoc-twice.csv",
      line: 1,
      column: "Electorate",
      message: `the header names this column 2 times, at positions ${hocColumns.indexOf("Electorate") + 1} and ${hocColumns.length + 1}; each column needs its own name`,
    },
  ]);
});

test("an empty file, or one of only blank lines, is refused", async () => {
  await seed();

  expect(await failedImport({ path: writeInputFile("empty.csv", "") })).toEqual([
    { file: "empty.csv", message: "the file is empty" },
  ]);
  expect(await failedImport({ path: writeInputFile("blank.csv", "\n\r\n  \n") })).toEqual([
    { file: "blank.csv", message: "the file is empty" },
  ]);
});

test("a header the importer does not recognise says what it expected", async () => {
  await seed();
  const path = writeInputFile("mystery.csv", "postcode,latitude,longitude\nAB1 0AA,57.1,-2.1\n");

  expect(await failedImport({ path })).toEqual([
    {
      file: "mystery.csv",
      line: 1,
      message: expect.stringMatching(/^cannot tell what this file is from its header\. Expected one of: ONS/),
    },
  ]);
});

test("a row with the wrong number of fields names its line", async () => {
  await seed();
  const csv = dcCsv([buildCandidate(harbury), buildCandidate(harbury)]).split("\n");
  csv[2] += ",surplus";
  const path = writeInputFile("dc-ragged.csv", csv.join("\n"));

  expect(await failedImport({ path })).toEqual([
    { file: "dc-ragged.csv", line: 3, message: "the CSV is malformed: Invalid Record Length: expect 11, got 12" },
  ]);
});

test("line numbers stay right after a statement with \\r\\n inside it", async () => {
  // csv-parse counts each "\r\n" inside a quoted field as two lines; the real
  // DC export has one (pitfall 5), so later rows' lines must not drift.
  await seed();
  const rows = [
    buildCandidate(harbury, { statement_to_voters: "One.\r\nTwo.\r\nThree." }),
    buildCandidate(harbury),
    buildCandidate(harbury, { email: "nope" }),
  ];
  const path = writeInputFile("dc-crlf-statement.csv", dcCsv(rows, { format: "full" }));

  // Header on 1, the statement's record on 2–4, then 5 and 6.
  expect((await failedImport({ path })).map((p) => [p.line, p.column])).toEqual([[6, "email"]]);

  const ragged = dcCsv(rows.slice(0, 2), { format: "full" }) + "1,2,3\n";
  expect((await failedImport({ path: writeInputFile("dc-crlf-ragged.csv", ragged) })).map((p) => p.line)).toEqual([6]);
});

test("line numbers count blank lines between records", async () => {
  await seed();
  const csv = hocCsv([buildSeat(), buildSeat({ electorate: "lots" })]).split("\n");
  const withGap = [csv[0], csv[1], "", "", csv[2], ""].join("\n");
  const path = writeInputFile("hoc-gap.csv", withGap);

  expect((await failedImport({ path })).map((p) => [p.line, p.column])).toEqual([[5, "Electorate"]]);
});

test("a candidate whose constituency cannot be found is refused, naming the ballot", async () => {
  await seed();
  const lost = buildCandidate({ name: "Lyonesse", gssCode: "E14009999" });
  const path = writeInputFile("dc-lost.csv", dcCsv([buildCandidate(harbury), lost]));

  expect(await failedImport({ path })).toEqual([
    {
      file: "dc-lost.csv",
      line: 3,
      column: "ballot_paper_id",
      message: 'no constituency matches ballot "parl.lyonesse.2024-07-04" or "Lyonesse"; import constituencies first',
    },
  ]);
});

test("an Open Innovations row with an unknown pcon24cd is refused, naming the code", async () => {
  await seed();
  const path = writeInputFile("oi-lost.csv", oiCsv([buildCandidate(harbury, { pcon24cd: "S14000006" })]));

  expect(await failedImport({ path })).toEqual([
    {
      file: "oi-lost.csv",
      line: 2,
      column: "pcon24cd",
      message: "no constituency has the GSS code S14000006; import constituencies first",
    },
  ]);
});

// The command-line tool, run as a person would, on its own database file.

function runCli(databasePath: string, ...args: string[]) {
  return spawnSync("npx", ["tsx", "scripts/import.ts", ...args], {
    cwd: repoRoot,
    // On a SQLite file of its own, whichever engine the suite runs on.
    env: ownSqliteFileEnv(databasePath),
    encoding: "utf8",
  });
}

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

test("the CLI imports a file, and importing it again prints 0 changes", () => {
  const database = join(mkdtempSync(join(tmpdir(), "pledge-cli-")), "cli.sqlite");

  const first = runCli(database, fixture("hoc-three-seats.csv"));
  const second = runCli(database, fixture("hoc-three-seats.csv"));

  expect(first.status, first.stderr).toBe(0);
  expect(first.stdout).toContain("imported: 3 changes (constituencies: 3 added; 0 unchanged)");
  expect(second.status, second.stderr).toBe(0);
  expect(second.stdout).toContain("hoc-three-seats.csv (hoc-constituencies, 3 rows, sha256 ");
  expect(second.stdout).toContain("imported: 0 changes (3 unchanged)");
}, 60_000);

test("the CLI exits 1 on bad input, lists the first 20 problems by file, line and column, and leaves the database unchanged", () => {
  const database = join(mkdtempSync(join(tmpdir(), "pledge-cli-")), "cli.sqlite");
  expect(runCli(database, fixture("hoc-three-seats.csv")).status).toBe(0);

  const bad = runCli(database, fixture("hoc-bad-electorates.csv"));

  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain("hoc-bad-electorates.csv: not imported; the database is unchanged. 23 problems:");
  expect(bad.stderr).toContain(
    'hoc-bad-electorates.csv, line 2: column "Electorate": must be a whole number (got "lots")',
  );
  const problemLines = bad.stderr.split("\n").filter((l) => l.startsWith("hoc-bad-electorates.csv, line "));
  expect(problemLines).toHaveLength(20);
  expect(problemLines.at(-1)).toMatch(/^hoc-bad-electorates\.csv, line 21: /);
  expect(bad.stderr).toContain("…and 3 more problems");
  expect(bad.stdout).toBe("");

  const sqlite = new Database(database, { readonly: true });
  try {
    expect(sqlite.prepare("select gss_code from constituencies order by gss_code").pluck().all()).toEqual([
      "E14009201",
      "S14009202",
      "W07009203",
    ]);
    expect(sqlite.prepare("select file_name from import_runs").pluck().all()).toEqual(["hoc-three-seats.csv"]);
  } finally {
    sqlite.close();
  }
}, 60_000);

test("the CLI refuses, with exit status 3, an import that would withdraw candidates, lists them, and imports with --confirm-withdrawals", () => {
  const database = join(mkdtempSync(join(tmpdir(), "pledge-cli-")), "cli.sqlite");
  const seats = writeInputFile("cli-seats.csv", hocCsv([harbury]));
  const stays = buildCandidate(harbury, { person_name: "Ada Quennell" });
  const leaves = buildCandidate(harbury, { person_name: "Fergus Garside" });
  expect(runCli(database, seats, writeInputFile("cli-may.csv", dcCsv([stays, leaves]))).status).toBe(0);
  const june = writeInputFile("cli-june.csv", dcCsv([stays]));

  const refused = runCli(database, june);
  const dryRun = runCli(database, "--dry-run", june);
  const unchanged = new Database(database, { readonly: true });
  const statuses = unchanged.prepare("select status from candidacies order by person_id").pluck().all();
  unchanged.close();
  const confirmed = runCli(database, "--confirm-withdrawals", june);

  expect(refused.status).toBe(3);
  expect(refused.stderr).toContain(
    `cli-june.csv: not imported; the database is unchanged. It would mark 1 candidate as withdrawn, because the file no longer lists them in a constituency it covers (person_id name, party, constituency):\n  ${leaves.person_id} Fergus Garside, Labour Party, Harbury Cross\n`,
  );
  expect(refused.stderr).toContain("run the same command again with --confirm-withdrawals");
  expect(dryRun.status, dryRun.stderr).toBe(0);
  expect(dryRun.stdout).toContain(
    `  withdrawn candidacy ${leaves.person_id} Fergus Garside, Labour Party, Harbury Cross\n`,
  );
  expect(dryRun.stdout).toContain("importing this file for real needs --confirm-withdrawals");
  expect(statuses).toEqual(["standing", "standing"]);
  expect(confirmed.status, confirmed.stderr).toBe(0);
  expect(confirmed.stdout).toContain("imported: 1 changes (candidacies: 1 withdrawn; 1 unchanged)");
  expect(confirmed.stdout).toContain(`  withdrawn ${leaves.person_id} Fergus Garside, Labour Party, Harbury Cross\n`);
}, 90_000);
