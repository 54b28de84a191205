import { engineOf, queryRows, readTransaction, writeTransaction } from "#db/index";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, test } from "vitest";
import { sql } from "drizzle-orm";
import { postcodeImportClaims, postcodes } from "#db/schema";
import { runImport, summariseChanges } from "~/importers/import.server";
import { looksLikePostcodeDirectory, runPostcodeImport } from "~/importers/postcodes.server";
import { ImportFailed, type Problem } from "~/importers/problems";
import { loadSampleElectionIfEmpty } from "~/importers/sample.server";
import { listImportRuns, recordImportRun } from "~/models/import-run.server";
import { countPostcodes, findPostcode, listCurrentPostcodes } from "~/models/postcode.server";
import { db } from "~/utils/db.server";
import { createPostcodeLookup } from "~/models/postcode-lookup.server";
import { snapshotDatabase } from "../db";
import { buildSeat, hexJson, insertConstituency, insertPostcode, onsCsv, writeInputFile } from "../factories";
import { onspdHeader, onspdRow, writeOnspdFile } from "./postcode-onspd";
import { fixtureElectionDir } from "../fixture-election";
import { realDataDir } from "../real-data";

const realData = realDataDir("the real ONSPD sample tests");
const realSample = join(realData ?? "", "onspd-sample-postcodes-pcon24.csv");
const realConstituencies = join(realData ?? "", "ons-pcon24-names-and-codes-uk-v2.csv");
const hasRealData = realData !== null;

const lookUp = createPostcodeLookup({ mode: "local" });

async function problemsOf(run: () => Promise<unknown>): Promise<Problem[]> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ImportFailed) return error.problems;
    throw error;
  }
  throw new Error("expected the import to fail");
}

function sha256(path: string) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

describe.skipIf(!hasRealData)("the real ONSPD sample (298 rows from postcodes.io's seed)", () => {
  test("imports every row, keeping terminated dates, pseudo-codes and empty codes as they are", async () => {
    await runImport({ path: realConstituencies });

    const result = await runPostcodeImport({ path: realSample });

    expect(result).toMatchObject({
      kind: "onspd-postcodes",
      rows: 298,
      added: 298,
      updated: 0,
      removed: 0,
      unchanged: 0,
    });
    expect(result.sha256).toBe(sha256(realSample));
    expect(await countPostcodes()).toBe(298);
    // 22 in Aberdeen plus SE1 9ZZ (the README counts that one among the six special rows).
    expect((await db.select().from(postcodes)).filter((p) => p.terminatedOn !== null)).toHaveLength(23);
    expect(await findPostcode({ postcode: "JE2 4WD" })).toEqual({
      postcode: "JE2 4WD",
      constituencyCode: "L99999999",
      terminatedOn: null,
      constituency: null,
    });
    expect(await findPostcode({ postcode: "AB11 3AG" })).toMatchObject({
      constituencyCode: null,
      terminatedOn: "1997-07",
    });
    expect((await findPostcode({ postcode: "SE1P 5ZZ" }))?.constituency).toEqual({
      gssCode: "E14001085",
      name: "Bermondsey and Old Southwark",
      slug: "bermondsey-and-old-southwark",
    });

    await expect(lookUp("ab10 1ab")).resolves.toMatchObject({
      status: "found",
      constituency: { name: "Aberdeen South" },
    });
    await expect(lookUp("M1 1AD")).resolves.toMatchObject({
      status: "found",
      constituency: { name: "Manchester Central" },
    });
    await expect(lookUp("se19zz")).resolves.toEqual({
      status: "terminated",
      postcode: "SE1 9ZZ",
      terminatedOn: "1998-12",
    });
    await expect(lookUp("AB11 3AG")).resolves.toMatchObject({ status: "terminated" });
    await expect(lookUp("je2 4wd")).resolves.toEqual({
      status: "no-constituency",
      postcode: "JE2 4WD",
      reason: "outside",
      gssCode: "L99999999",
    });
    await expect(lookUp("AB10 9ZZ")).resolves.toEqual({ status: "unknown", postcode: "AB10 9ZZ" });
  });

  test("a second import of the same file changes nothing and says so", async () => {
    await runPostcodeImport({ path: realSample });
    const before = (await snapshotDatabase()).postcodes;

    const again = await runPostcodeImport({ path: realSample });

    expect(again).toMatchObject({ rows: 298, added: 0, updated: 0, removed: 0, unchanged: 298 });
    expect(summariseChanges(again)).toBe("0 changes (298 unchanged)");
    expect((await snapshotDatabase()).postcodes).toEqual(before);
    expect((await listImportRuns({ limit: 5 })).map((r) => [r.kind, r.sha256, r.added, r.unchanged])).toEqual([
      ["onspd-postcodes", sha256(realSample), 0, 298],
      ["onspd-postcodes", sha256(realSample), 298, 0],
    ]);
  });
});

describe("generated ONSPD files", () => {
  test("postcodes lead to the constituencies we have; the rest get their own answers", async () => {
    const mardale = await insertConstituency({ name: "Mardale and Thorne" });
    const glynmawr = await insertConstituency({ name: "Glynmawr and Afon Dŵr", nation: "Wales", gssCode: "W07009901" });
    const third = await insertConstituency();
    const path = writeOnspdFile([
      onspdRow({ pcds: "ZZ1 1AA", pcon: mardale.gssCode }),
      onspdRow({ pcds: "ZZ2 4AB", pcon: glynmawr.gssCode }),
      onspdRow({ pcds: "ZZ3 5ZZ", pcon: third.gssCode, doterm: "202311" }),
      onspdRow({ pcds: "ZY1 1AA", pcon: "L99999999" }),
      onspdRow({ pcds: "ZY2 1AA", pcon: "M99999999" }),
      onspdRow({ pcds: "ZY3 1AA", pcon: "" }),
      // A real seat's code, but not one of ours.
      onspdRow({ pcds: "ZY9 1AA", pcon: "E14001085" }),
    ]);

    await runPostcodeImport({ path });

    await expect(lookUp("zz11aa")).resolves.toEqual({
      status: "found",
      postcode: "ZZ1 1AA",
      constituency: { gssCode: mardale.gssCode, name: "Mardale and Thorne", slug: "mardale-and-thorne" },
    });
    await expect(lookUp(" zz2 4ab ")).resolves.toMatchObject({
      status: "found",
      constituency: { slug: "glynmawr-and-afon-dwr" },
    });
    await expect(lookUp("ZZ3 5ZZ")).resolves.toEqual({
      status: "terminated",
      postcode: "ZZ3 5ZZ",
      terminatedOn: "2023-11",
    });
    await expect(lookUp("ZY1 1AA")).resolves.toMatchObject({ status: "no-constituency", reason: "outside" });
    await expect(lookUp("ZY2 1AA")).resolves.toMatchObject({ status: "no-constituency", reason: "outside" });
    await expect(lookUp("ZY3 1AA")).resolves.toMatchObject({
      status: "no-constituency",
      reason: "outside",
      gssCode: null,
    });
    await expect(lookUp("ZY9 1AA")).resolves.toMatchObject({
      status: "no-constituency",
      reason: "not-covered",
      gssCode: "E14001085",
    });
    await expect(lookUp("ZZ1 1AB")).resolves.toEqual({ status: "unknown", postcode: "ZZ1 1AB" });
    await expect(lookUp("ZZ1")).resolves.toEqual({ status: "invalid" });
  });

  test("a new directory replaces the old one: added, updated, removed and unchanged are counted", async () => {
    const [first, second, third] = [await insertConstituency(), await insertConstituency(), await insertConstituency()];
    // The old directory: 52 postcodes, among them ZZ1 1AA, ZZ1 1AB and ZZ1 2AD in the first seat.
    const others = Array.from({ length: 49 }, (_, i) => onspdRow({ pcds: `ZW${i + 1} 1AA`, pcon: second.gssCode }));
    await runPostcodeImport({
      path: writeOnspdFile([
        onspdRow({ pcds: "ZZ1 1AA", pcon: first.gssCode }),
        onspdRow({ pcds: "ZZ1 1AB", pcon: first.gssCode }),
        onspdRow({ pcds: "ZZ1 2AD", pcon: first.gssCode }),
        ...others,
      ]),
    });
    expect(await countPostcodes()).toBe(52);
    const path = writeOnspdFile([
      onspdRow({ pcds: "ZZ1 1AA", pcon: first.gssCode }),
      onspdRow({ pcds: "ZZ1 1AB", pcon: second.gssCode }),
      onspdRow({ pcds: "ZZ1 2AD", pcon: first.gssCode, doterm: "202405" }),
      onspdRow({ pcds: "ZX1 1AA", pcon: third.gssCode }),
    ]);

    const dryRun = await runPostcodeImport({ path, dryRun: true });
    expect(dryRun).toMatchObject({ dryRun: true, rows: 4, added: 1, updated: 2, removed: 49, unchanged: 1 });
    expect(await countPostcodes()).toBe(52);

    const result = await runPostcodeImport({ path });

    expect(result).toMatchObject({ dryRun: false, rows: 4, added: 1, updated: 2, removed: 49, unchanged: 1 });
    expect(summariseChanges(result)).toBe("52 changes (postcodes: 1 added, 2 updated, 49 removed; 1 unchanged)");
    expect(await listCurrentPostcodes()).toEqual([
      { postcode: "ZX1 1AA", constituencyCode: third.gssCode, terminatedOn: null },
      { postcode: "ZZ1 1AA", constituencyCode: first.gssCode, terminatedOn: null },
      { postcode: "ZZ1 1AB", constituencyCode: second.gssCode, terminatedOn: null },
      { postcode: "ZZ1 2AD", constituencyCode: first.gssCode, terminatedOn: "2024-05" },
    ]);
    // The replaced rows and the removal markers have been cleaned up.
    expect(await db.select().from(postcodes)).toHaveLength(4);
    expect((await listImportRuns({ limit: 1 }))[0]).toMatchObject({
      kind: "onspd-postcodes",
      rows: 4,
      added: 1,
      updated: 2,
      removed: 49,
    });
  });

  test("postcodes written with odd spacing or case are stored normalised", async () => {
    const path = writeOnspdFile([onspdRow({ pcds: "zz11aa" }), onspdRow({ pcds: " ZZ1  1AB " })]);

    await runPostcodeImport({ path });

    expect(await db.select({ postcode: postcodes.postcode }).from(postcodes)).toEqual([
      { postcode: "ZZ1 1AA" },
      { postcode: "ZZ1 1AB" },
    ]);
  });

  test("CRLF line endings, a byte-order mark and blank lines are read, with lines counted right", async () => {
    const path = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" }), "", onspdRow({ pcds: "ZZ1 1AB", doterm: "2024" })], {
      header: `\ufeff${onspdHeader.join(",")}`,
      eol: "\r\n",
    });

    const problems = await problemsOf(() => runPostcodeImport({ path }));

    expect(problems).toEqual([
      expect.objectContaining({ line: 4, column: "doterm", message: expect.stringContaining('got "2024"') }),
    ]);
  });

  test("progress is reported as rows are read, then while writing", async () => {
    const lines = Array.from({ length: 25 }, (_, i) => onspdRow({ pcds: `ZZ${i + 1} 1AA` }));
    const path = writeOnspdFile(lines);
    const seen: string[] = [];

    await runPostcodeImport({
      path,
      progressEvery: 10,
      onProgress: (p) => {
        seen.push(`${p.phase} ${p.rows}`);
      },
    });

    expect(seen).toEqual(["reading 10", "reading 20", "reading 25", "comparing 25", "writing 25", "done 25"]);
  });

  test("an election folder's own postcode file loads with the rest of it through the sample loader, in the same transaction", async () => {
    const results = await loadSampleElectionIfEmpty({ dir: fixtureElectionDir });

    const postcodeResult = results?.find((r) => r.kind === "onspd-postcodes");
    expect(postcodeResult).toMatchObject({ file: "postcodes-onspd.csv", rows: 52, added: 52 });
    expect(await countPostcodes()).toBe(52);
    expect((await findPostcode({ postcode: "ZZ16 2AD" }))?.constituency?.slug).toBe("slievecarn-and-lisdrumbeg");
  });

  test("runImport detects a small ONSPD file by its header and imports it like the streaming path", async () => {
    const path = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" }), onspdRow({ pcds: "ZZ1 1AB", doterm: "201906" })]);

    const result = await runImport({ path });

    expect(result).toMatchObject({ kind: "onspd-postcodes", rows: 2, added: 2, sha256: sha256(path) });
    await expect(runPostcodeImport({ path })).resolves.toMatchObject({ added: 0, unchanged: 2 });
  });

  test("the command line tells an ONSPD file from the others by its first line", () => {
    const seat = buildSeat();
    expect(looksLikePostcodeDirectory({ path: writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" })]) })).toBe(true);
    expect(looksLikePostcodeDirectory({ path: writeInputFile("constituencies-ons.csv", onsCsv([seat])) })).toBe(false);
    const hexes = hexJson({ hexes: { [seat.gssCode]: { q: 0, r: 0, n: seat.name } } });
    expect(looksLikePostcodeDirectory({ path: writeInputFile("constituencies.hexjson", hexes) })).toBe(false);
    expect(looksLikePostcodeDirectory({ path: join(tmpdir(), "no-such-file.csv") })).toBe(false);
  });
});

describe("imports that overlap", () => {
  test("if another postcode import finishes first, this one writes nothing and says to run it again", async () => {
    const path = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" })]);
    let before: Awaited<ReturnType<typeof snapshotDatabase>> | undefined;

    const problems = await problemsOf(() =>
      runPostcodeImport({
        path,
        onProgress: async (p) => {
          if (p.phase !== "writing") return;
          // Stands in for another process's import committing meanwhile.
          await recordImportRun({
            kind: "onspd-postcodes",
            fileName: "other.csv",
            sha256: "0".repeat(64),
            dryRun: false,
            rows: 0,
            added: 0,
            updated: 0,
            withdrawn: 0,
            removed: 0,
            unchanged: 0,
            startedAt: new Date("2024-06-01T00:00:00.000Z"),
            finishedAt: new Date("2024-06-01T00:00:01.000Z"),
          });
          before = await snapshotDatabase();
        },
      }),
    );

    expect(problems).toEqual([
      {
        file: "ONSPD_TEST.csv",
        message: "another postcode import finished while this one was running; nothing was written, so run it again",
      },
    ]);
    // Its rows were written but never published, then deleted; its claim is given up.
    const { postcode_import_claims: claims, ...after } = await snapshotDatabase();
    const { postcode_import_claims: _claims, ...expected } = before ?? {};
    expect(after).toEqual(expected);
    expect(claims).toEqual([]);
    expect(await countPostcodes()).toBe(0);
  });

  test("two imports at once in one process are refused rather than mixed", async () => {
    const first = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" })]);
    const second = writeOnspdFile([onspdRow({ pcds: "ZZ2 1AA" })]);

    const results = await Promise.allSettled([runPostcodeImport({ path: first }), runPostcodeImport({ path: second })]);

    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(await db.select({ postcode: postcodes.postcode }).from(postcodes)).toEqual([{ postcode: "ZZ1 1AA" }]);
    // Once the first is done, the next one may run.
    await expect(runPostcodeImport({ path: second })).resolves.toMatchObject({ added: 1, removed: 1 });
  });
});

describe("bad input is refused with where and why, and the database is left as it was", () => {
  // Something already there for a refused import to leave alone.
  beforeEach(async () => {
    const seat = await insertConstituency();
    await insertPostcode({ postcode: "ZZ9 9AA", constituencyCode: seat.gssCode });
  });

  async function expectRefused(path: string) {
    const before = await snapshotDatabase();
    const problems = await problemsOf(() => runPostcodeImport({ path }));
    expect(await snapshotDatabase()).toEqual(before);
    return problems;
  }

  test("bad postcodes, constituency codes and termination dates, each with its line and column", async () => {
    const path = writeOnspdFile([
      onspdRow({ pcds: "ZZ1 1AA" }),
      onspdRow({ pcds: "NOT A POSTCODE" }),
      onspdRow({ pcds: "" }),
      onspdRow({ pcds: "ZZ1 1AB", pcon: "E1400900" }),
      onspdRow({ pcds: "ZZ1 1AD", doterm: "2019-06" }),
      onspdRow({ pcds: "ZZ1 1AE", doterm: "201913" }),
      onspdRow({ pcds: "ZZ1 1AF" }),
    ]);

    const problems = await expectRefused(path);

    expect(problems).toEqual([
      {
        file: "ONSPD_TEST.csv",
        line: 3,
        column: "pcds",
        message: 'must be a full UK postcode such as SW1A 1AA (got "NOT A POSTCODE")',
      },
      { file: "ONSPD_TEST.csv", line: 4, column: "pcds", message: "a postcode is required" },
      {
        file: "ONSPD_TEST.csv",
        line: 5,
        column: "pcon",
        message: 'must be empty or a 9-character GSS code such as E14001063 (got "E1400900")',
      },
      expect.objectContaining({
        line: 6,
        column: "doterm",
        message: expect.stringContaining('YYYYMM such as 201906 (got "2019-06")'),
      }),
      expect.objectContaining({ line: 7, column: "doterm", message: expect.stringContaining('(got "201913")') }),
    ]);
  });

  test("a postcode listed twice, however it is written", async () => {
    const path = writeOnspdFile([
      onspdRow({ pcds: "ZZ1 1AA" }),
      onspdRow({ pcds: "ZZ1 1AB" }),
      onspdRow({ pcds: "zz1 1aa" }),
    ]);

    const problems = await expectRefused(path);

    expect(problems).toEqual([
      {
        file: "ONSPD_TEST.csv",
        line: 4,
        column: "pcds",
        message: 'duplicate postcode "ZZ1 1AA" (first seen on line 2)',
      },
    ]);
  });

  test("a missing column is named, on line 1", async () => {
    const header = onspdHeader.filter((c) => c !== "doterm");
    const path = writeOnspdFile(["ZZ1 1AA"], { header: header.join(",") });

    const problems = await expectRefused(path);

    expect(problems).toEqual([
      expect.objectContaining({
        line: 1,
        column: "doterm",
        message: expect.stringContaining('the header has no "doterm" column'),
      }),
    ]);
  });

  test("a row with the wrong number of values, and a malformed CSV", async () => {
    const short = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" }), "ZZ1 1AB,ZZ1  1AB,ZZ1 1AB"]);
    expect(await expectRefused(short)).toEqual([
      { file: "ONSPD_TEST.csv", line: 3, message: "the row has 3 values but the header has 52" },
    ]);

    const malformed = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" }), `"ZZ1 1AB"x,${onspdRow({ pcds: "ZZ1 1AB" })}`]);
    expect(await expectRefused(malformed)).toEqual([
      expect.objectContaining({ line: 3, message: expect.stringContaining("the CSV is malformed") }),
    ]);
  });

  test("an empty file, a header with no postcodes, and a file that is not there", async () => {
    const empty = join(mkdtempSync(join(tmpdir(), "pledge-onspd-")), "empty.csv");
    writeFileSync(empty, "");
    expect(await expectRefused(empty)).toEqual([{ file: "empty.csv", message: "the file is empty" }]);

    expect(await expectRefused(writeOnspdFile([]))).toEqual([
      { file: "ONSPD_TEST.csv", message: "the file has a header but no postcodes" },
    ]);

    const missing = await expectRefused("/nonexistent/ONSPD.csv");
    expect(missing).toEqual([{ file: "ONSPD.csv", message: expect.stringContaining("cannot read the file") }]);
  });

  // Distinct postcodes for generated files: ZZ1 0AA, ZZ2 1AB…
  const manyPostcodes = (n: number) =>
    Array.from({ length: n }, (_, i) => {
      const letters = "ABDEFGHJLN";
      return `ZZ${(i % 99) + 1} ${i % 10}${letters[Math.floor(i / 10) % 10]}${letters[Math.floor(i / 100) % 10]}`;
    });

  test("a file that is not UTF-8 is refused while streaming, with the line and column of the first bad byte", async () => {
    // Over 1 MB, so the file reaches the checker in several chunks; the bad
    // byte (Windows-1252's "é") is in a later chunk than the first.
    const lines = manyPostcodes(5000).map((pcds) => onspdRow({ pcds }));
    lines[4000] = onspdRow({ pcds: "ZY1 1AA", parish: "Caf\u00e9" });
    const path = writeOnspdFile(lines);
    const bytes = Buffer.from(readFileSync(path, "utf8"), "latin1");
    writeFileSync(path, bytes);
    const offset = bytes.indexOf(0xe9);
    expect(offset).toBeGreaterThan(1 << 20);

    expect(await expectRefused(path)).toEqual([
      {
        file: "ONSPD_TEST.csv",
        line: 4002,
        message: `the file is not UTF-8: byte 0xe9 at column ${offset - bytes.lastIndexOf(0x0a, offset)} of the line (offset ${offset} in the file); save it as UTF-8 and try again`,
      },
    ]);
  });

  test("valid UTF-8 over several read chunks is accepted, and a byte-order mark is fine", async () => {
    // (Characters cut by a chunk boundary: tests/unit/utf8-checker.test.ts.)
    const lines = manyPostcodes(4000).map((pcds, i) => onspdRow({ pcds, parish: "Glyndŵr".repeat(1 + (i % 3)) }));
    const path = writeOnspdFile(lines, { header: `\ufeff${onspdHeader.join(",")}` });

    await expect(runPostcodeImport({ path })).resolves.toMatchObject({ rows: 4000, added: 4000 });
  });

  test("a directory cut off inside its last record is refused", async () => {
    const path = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" }), onspdRow({ pcds: "ZZ1 1AB" })]);
    writeFileSync(path, readFileSync(path, "utf8").slice(0, -10));

    expect(await expectRefused(path)).toEqual([
      {
        file: "ONSPD_TEST.csv",
        line: 3,
        message: expect.stringMatching(
          /^the file ends in the middle of a line, with no line break after the last record/,
        ),
      },
    ]);
  });

  test("a directory cut off inside a quoted value is refused, naming the line its record starts on", async () => {
    const cut = onspdRow({ pcds: "ZZ1 1AB" }).replace(",E99999999,", ',"E99999');
    const path = writeOnspdFile([onspdRow({ pcds: "ZZ1 1AA" }), cut]);

    expect(await expectRefused(path)).toEqual([
      {
        file: "ONSPD_TEST.csv",
        line: 3,
        message: expect.stringMatching(/^a quoted value in the record starting on this line is never closed/),
      },
    ]);
  });

  test("a column named twice in the header is refused, naming its positions", async () => {
    const header = [...onspdHeader, "pcon"];
    const path = writeOnspdFile([`${onspdRow({ pcds: "ZZ1 1AA" })},E14009002`], { header: header.join(",") });

    expect(await expectRefused(path)).toEqual([
      {
        file: "ONSPD_TEST.csv",
        line: 1,
        column: "pcon",
        message: "the header names this column 2 times, at positions 20 and 53; each column needs its own name",
      },
    ]);
  });

  test("a file bad throughout stops after 1,000 problems instead of listing millions", async () => {
    const path = writeOnspdFile(Array.from({ length: 3000 }, (_, i) => onspdRow({ pcds: `BAD${i}` })));

    const problems = await expectRefused(path);

    expect(problems).toHaveLength(1001);
    expect(problems[999]).toMatchObject({ line: 1001, column: "pcds" });
    expect(problems[1000]).toEqual({
      file: "ONSPD_TEST.csv",
      message: "stopped checking after 1,000 problems; fix these and import again",
    });
  });
});

describe("a big import never makes the site wait, and lookups always see one whole directory", () => {
  const old = (postcodes: string[]) => writeOnspdFile(postcodes.map((pcds) => onspdRow({ pcds, pcon: "E14009001" })));
  const moved = (postcodes: string[]) => writeOnspdFile(postcodes.map((pcds) => onspdRow({ pcds, pcon: "E14009002" })));
  const postcodesIn = (n: number) =>
    Array.from(
      { length: n },
      (_, i) =>
        `ZZ${(i % 99) + 1} ${i % 10}${"ABDEFGHJLN"[Math.floor(i / 10) % 10]}${"ABDEFGHJLN"[Math.floor(i / 100) % 10]}`,
    );
  // Every row, published or not. count(*) is a string on PostgreSQL.
  const rawRows = async () =>
    Number((await queryRows<{ n: unknown }>(db, sql`select count(*) as n from postcodes`))[0]!.n);
  // Which constituency each postcode leads to now ("gone" for none).
  const codesOf = async (all: string[]) =>
    Promise.all(all.map(async (postcode) => (await findPostcode({ postcode }))?.constituencyCode ?? "gone"));

  test("while the new directory is written in short transactions, lookups see the old one whole; then the new one whole", async () => {
    const all = postcodesIn(1000);
    await runPostcodeImport({ path: old(all) });
    // The new directory moves 990 postcodes and drops the last 10.
    const next = moved(all.slice(0, 990));
    const seen = new Set<string>();
    let writtenUnseen = 0;
    let importing = true;

    const watching = (async () => {
      while (importing) {
        // One look at every postcode at one moment of the database: which directory is it?
        const { codes, rows } = await readTransaction(db, async () => ({
          codes: new Set(await codesOf(all)),
          rows: await rawRows(),
        }));
        seen.add([...codes].sort().join(" "));
        if (codes.size === 1 && codes.has("E14009001") && rows > 1000) writtenUnseen++;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    // A look at all 1,000 takes PostgreSQL longer (a round trip each) than
    // SQLite (in-process): smaller batches there keep the writing going long
    // enough to be looked at several times.
    const writeBatchRows = engineOf(db) === "postgres" ? 5 : 20;
    const result = await runPostcodeImport({ path: next, writeBatchRows });
    importing = false;
    await watching;

    expect(result).toMatchObject({ updated: 990, removed: 10 });
    // Only ever the whole old directory or the whole new one.
    expect([...seen].every((s) => s === "E14009001" || s === "E14009002 gone")).toBe(true);
    // The old one was seen after some of the new rows had been written.
    expect(writtenUnseen).toBeGreaterThan(0);
    expect(await codesOf(all)).toEqual([...Array(990).fill("E14009002"), ...Array(10).fill("gone")]);
    expect(await rawRows()).toBe(990);
  });

  test("an import killed while it writes leaves the old directory serving; the next import takes over and cleans up", async () => {
    const all = postcodesIn(3000);
    await runPostcodeImport({ path: old(all) });
    const next = moved(all);
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL("./postcode-import-child.ts", import.meta.url)), next],
      {
        cwd: fileURLToPath(new URL("../../", import.meta.url)),
        env: process.env,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise((resolve) => child.once("exit", resolve));
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    // Killed once it has written some of its rows (one a transaction), long before it is done.
    await waitFor(async () => output.includes("writing") && (await rawRows()) > 3100, 60_000);
    child.kill("SIGKILL");
    await exited;

    expect(output).not.toContain("done");
    expect(await rawRows()).toBeGreaterThan(3100);
    expect(await rawRows()).toBeLessThan(6000);
    expect(await countPostcodes()).toBe(3000);
    expect(new Set(await codesOf(all))).toEqual(new Set(["E14009001"]));
    expect(await db.select({ pid: postcodeImportClaims.pid }).from(postcodeImportClaims)).toEqual([{ pid: child.pid }]);

    const result = await runPostcodeImport({ path: next });

    expect(result).toMatchObject({ updated: 3000, unchanged: 0 });
    expect(new Set(await codesOf(all))).toEqual(new Set(["E14009002"]));
    expect(await rawRows()).toBe(3000);
    expect(await db.select().from(postcodeImportClaims)).toEqual([]);
  }, 90_000);

  test("while another process's import is running, a second one is refused and writes nothing", async () => {
    await runPostcodeImport({ path: old(postcodesIn(10)) });
    // The test runner's parent process is alive: its claim is not abandoned.
    await writeTransaction(db, async () => {
      await db
        .insert(postcodeImportClaims)
        .values({ id: 1, generation: 99, pid: process.ppid, host: hostname(), startedAt: "2024-06-01T00:00:00.000Z" });
    });
    const before = await snapshotDatabase();

    const problems = await problemsOf(() => runPostcodeImport({ path: moved(postcodesIn(10)) }));

    expect(problems).toEqual([
      {
        file: "ONSPD_TEST.csv",
        message: `another postcode import is running (process ${process.ppid} on ${hostname()}, since 2024-06-01T00:00:00.000Z); nothing was written. Wait for it to finish, then run this one again`,
      },
    ]);
    expect(await snapshotDatabase()).toEqual(before);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
