// The real 2024 general-election files (see ../shared/realdata/README.md),
// imported end to end. They live outside the repository, so these tests skip,
// saying so, where the folder is missing.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { sql, type SQL } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { engine } from "#db/engine";
import { queryRows } from "#db/index";
import { runImport } from "~/importers/import.server";
import { ImportFailed, type Problem } from "~/importers/problems";
import { db } from "~/utils/db.server";
import { snapshotDatabase } from "../db";
import { realDataDir } from "../real-data";

const realData = realDataDir("the real-data import tests");

// Constituencies first: candidates and hexes point at them. Candidate files
// oldest first, ending with the final list of 4,515.
const files = [
  "HoC-GE2024-results-by-constituency.csv",
  "ons-pcon24-names-and-codes-uk-v2.csv",
  "oi-uk-constituencies-2024.hexjson",
  "dc-export-parl.2024-07-04-snapshot-2024-05-22.csv",
  "dc-export-parl.2024-07-04-full-fields-sample.csv",
  "dc-export-parl.2024-07-04-gss-mismatch-sample.csv",
  "oi-ge2024-candidates.csv",
];

const now = () => new Date("2024-07-03T18:00:00.000Z");

// The files are imported oldest first, so later ones withdraw people the
// earlier snapshots listed: that is what is being checked, so it is confirmed.
async function importReal(name: string) {
  return runImport({ path: join(realData!, name), now, confirmWithdrawals: true });
}

/**
 * The first column of the first row. Counts and sums are cast to integer in
 * the SQL: PostgreSQL gives bigint and numeric as strings.
 */
async function value(query: SQL) {
  const [row] = await rows(query);
  return row === undefined ? undefined : Object.values(row)[0];
}

function rows(query: SQL) {
  return queryRows(db, query);
}

describe.skipIf(!realData)("the real 2024 data", () => {
  test("imports every file in order, each idempotent, into one consistent election", async () => {
    // Each file, imported again straight away, must report nothing to do.
    for (const name of files) {
      await importReal(name);
      const again = await importReal(name);
      expect(again.changes, `${name} imported a second time`).toEqual([]);
    }

    // Constituencies: 650, by nation, with the official electorate.
    expect(await value(sql`select cast(count(*) as integer) from constituencies`)).toBe(650);
    expect(
      await rows(
        sql`select nation, cast(count(*) as integer) as n from constituencies group by nation order by nation`,
      ),
    ).toEqual([
      { nation: "England", n: 543 },
      { nation: "Northern Ireland", n: 18 },
      { nation: "Scotland", n: 57 },
      { nation: "Wales", n: 32 },
    ]);
    expect(await value(sql`select cast(sum(electorate) as integer) from constituencies`)).toBe(48_208_507);
    expect(
      await value(
        sql`select cast(count(*) as integer) from constituencies where electorate is null or region_code is null`,
      ),
    ).toBe(0);
    expect(
      await value(
        sql`select cast(count(distinct region_code) as integer) from constituencies where nation = 'England'`,
      ),
    ).toBe(9);

    // Welsh names (pitfalls 1 and 2): the HoC spelling wins over ONS's "Glyndwr".
    expect(
      await rows(
        sql`select gss_code, name, name_cy, slug from constituencies where gss_code in ('W07000102', 'W07000112') order by gss_code`,
      ),
    ).toEqual([
      {
        gss_code: "W07000102",
        name: "Montgomeryshire and Glyndŵr",
        name_cy: "Maldwyn a Glyndŵr",
        slug: "montgomeryshire-and-glyndwr",
      },
      { gss_code: "W07000112", name: "Ynys Môn", name_cy: "Ynys Môn", slug: "ynys-mon" },
    ]);
    expect(
      await value(sql`select cast(count(*) as integer) from constituencies where name like 'Montgomeryshire%'`),
    ).toBe(1);

    // Hexes: one per constituency.
    expect(await value(sql`select cast(count(*) as integer) from hexes`)).toBe(650);
    expect(
      await value(
        sql`select cast(count(*) as integer) from hexes h join constituencies c on c.gss_code = h.constituency_code`,
      ),
    ).toBe(650);

    // Candidates: the final list's 4,515 standing; those dropped since the
    // earlier snapshots (and old ids DC merged away, pitfall 4) withdrawn.
    expect(await value(sql`select cast(count(*) as integer) from candidacies where status = 'standing'`)).toBe(4515);
    expect(
      await value(sql`select cast(count(*) as integer) from candidacies where status = 'withdrawn'`),
    ).toBeGreaterThan(0);
    expect(
      await rows(
        sql`select person_id, status from candidacies where person_id in ('117372', '21470') order by person_id`,
      ),
    ).toEqual([
      { person_id: "117372", status: "withdrawn" },
      { person_id: "21470", status: "standing" },
    ]);
    expect(
      await value(
        sql`select cast(count(distinct constituency_code) as integer) from candidacies where status = 'standing'`,
      ),
    ).toBe(650);

    // Every candidacy points at a real constituency (and every foreign key holds).
    expect(
      await value(
        sql`select cast(count(*) as integer) from candidacies c left join constituencies k on k.gss_code = c.constituency_code where k.gss_code is null`,
      ),
    ).toBe(0);
    // SQLite checks foreign keys only while its pragma is on, so ask it whether
    // every one holds; PostgreSQL enforces them always, so none can be broken.
    if (engine === "sqlite") expect(db.$client.pragma("foreign_key_check")).toEqual([]);

    // Pitfall 3: DC's gss is stale for five Scottish seats and blank in NI.
    // Every such row in the mismatch sample is in the 2024 seat.
    const superseded: Record<string, string> = {
      S14000006: "S14000107",
      S14000008: "S14000108",
      S14000010: "S14000109",
      S14000040: "S14000110",
      S14000058: "S14000111",
    };
    const mismatch = parse(readFileSync(join(realData!, "dc-export-parl.2024-07-04-gss-mismatch-sample.csv")), {
      columns: true,
    }) as Record<string, string>[];
    const placed = (personId: string | undefined) =>
      value(sql`select constituency_code from candidacies where person_id = ${personId}`);
    const scottish = mismatch.filter((r) => r.gss! in superseded);
    expect(scottish.length).toBeGreaterThan(0);
    for (const row of scottish) expect(await placed(row.person_id), row.person_name).toBe(superseded[row.gss!]);
    const northernIrish = mismatch.filter((r) => r.gss === "");
    expect(northernIrish.length).toBeGreaterThan(0);
    for (const row of northernIrish) expect(await placed(row.person_id), row.person_name).toBe(row.pcon24cd);
    expect(
      (
        await rows(
          sql`select constituency_code, cast(count(*) as integer) as n from candidacies where constituency_code between 'S14000107' and 'S14000111' and status = 'standing' group by 1 order by 1`,
        )
      ).map((r) => (r as { constituency_code: string }).constituency_code),
    ).toEqual(["S14000107", "S14000108", "S14000109", "S14000110", "S14000111"]);

    // Pitfall 5: the full-fields sample's 21 emails, with DC's extra quotes stripped.
    expect(await value(sql`select cast(count(*) as integer) from candidacies where email is not null`)).toBe(21);
    expect(
      // The links' JSON as text: PostgreSQL's (jsonb) puts a space after each
      // colon. PostgreSQL's LIKE takes a backslash as its escape unless told
      // otherwise; SQLite's has none: '!' for both, so a backslash is itself.
      await value(
        sql`select cast(count(*) as integer) from candidacies where email like '"%' or homepage_url like '"%'
            or cast(links as text) like '%:"\\"%' escape '!' or cast(links as text) like '%: "\\"%' escape '!'`,
      ),
    ).toBe(0);
    const blackman = (await rows(sql`select statement from candidacies where name = 'Kirsty Blackman'`)) as {
      statement: string;
    }[];
    expect(blackman).toHaveLength(1);
    expect(blackman[0]!.statement.split("\n").length).toBeGreaterThan(3);
    expect(blackman[0]!.statement).not.toContain("\r");
    expect(blackman[0]!.statement).toMatch(/^In 2015, Kirsty Blackman became/);

    // Party names shared by GB and NI registrations stay apart when the final
    // list (which has no party ids) is matched by name.
    expect(
      await rows(sql`select k.nation, c.party_id from candidacies c join constituencies k on k.gss_code = c.constituency_code
                 where c.party_id in ('PP51', 'PP52', 'PP63', 'PP305') and c.status = 'standing'
                 group by 1, 2 order by 1, 2`),
    ).toEqual([
      { nation: "England", party_id: "PP52" },
      { nation: "England", party_id: "PP63" },
      { nation: "Northern Ireland", party_id: "PP305" },
      { nation: "Northern Ireland", party_id: "PP51" },
      { nation: "Scotland", party_id: "PP52" },
      { nation: "Wales", party_id: "PP52" },
      { nation: "Wales", party_id: "PP63" },
    ]);

    // Imported once more after everything, every file agrees with the final
    // state and changes nothing, except the two taken before nominations
    // closed (22 May and the full-fields sample): a file speaks for the ballots
    // it lists, so re-importing those would rightly bring back their older
    // line-ups: person ids DC has since merged away stand again, and later
    // nominees (Mark Griffiths in Aberafan Maesteg) are withdrawn.
    const beforeNominationsClosed = [
      "dc-export-parl.2024-07-04-snapshot-2024-05-22.csv",
      "dc-export-parl.2024-07-04-full-fields-sample.csv",
    ];
    for (const name of files.filter((f) => !beforeNominationsClosed.includes(f))) {
      expect((await importReal(name)).changes, `${name} imported again at the end`).toEqual([]);
    }
  }, 120_000);

  test("the 2023 odileeds layout is refused for its five superseded Scottish codes, changing nothing", async () => {
    await importReal("HoC-GE2024-results-by-constituency.csv");
    await importReal("oi-uk-constituencies-2024.hexjson");
    const before = await snapshotDatabase();

    let problems: Problem[] = [];
    try {
      await importReal("odileeds-uk-constituencies-2023.hexjson");
    } catch (error) {
      if (!(error instanceof ImportFailed)) throw error;
      problems = error.problems;
    }

    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [523, "S14000008"],
      [535, "S14000040"],
      [545, "S14000058"],
      [551, "S14000006"],
      [552, "S14000010"],
    ]);
    for (const p of problems) {
      expect(p.file).toBe("odileeds-uk-constituencies-2023.hexjson");
      expect(p.message).toContain(`no constituency has the GSS code ${p.column}`);
    }
    expect(problems.find((p) => p.column === "S14000006")?.message).toContain('("Ayr, Carrick and Cumnock")');
    expect(await snapshotDatabase()).toEqual(before);
  }, 60_000);
});
