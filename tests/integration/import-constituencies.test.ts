import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows } from "#db/index";
import { runImport, summariseChanges } from "~/importers/import.server";
import { db } from "~/utils/db.server";
import { resetDatabase, snapshotDatabase } from "../db";
import { buildSeat, hocCsv, onsCsv, realSeats, writeInputFile, type Seat } from "../factories";

const now = () => new Date("2024-06-01T12:00:00.000Z");

const fenhallow = buildSeat({ name: "Fenhallow and Wickby", regionCode: "E12000002", regionName: "North West" });

function seats(): Seat[] {
  return [fenhallow, realSeats.queensPark, realSeats.glyndwr, realSeats.ynysMon, realSeats.ayr, realSeats.belfastEast];
}

// The ONS v2 file spells W07000102 without the circumflex ("Glyndwr"); every
// other source has "Glyndŵr". See pitfall 1 in the real data's README.
function onsSeats(list: Seat[]): Seat[] {
  return list.map((s) => (s.gssCode === "W07000102" ? { ...s, name: "Montgomeryshire and Glyndwr" } : s));
}

async function importFile(name: string, contents: string, options: { dryRun?: boolean } = {}) {
  return runImport({ path: writeInputFile(name, contents), now, ...options });
}

/** Every constituency row, all columns but the timestamps, which record when rather than what. */
async function constituencyRows() {
  const rows = await queryRows(db, sql`select * from constituencies order by gss_code`);
  return rows.map(({ created_at, updated_at, ...rest }) => rest);
}

async function constituency(gssCode: string) {
  return (await constituencyRows()).find((r) => r.gss_code === gssCode);
}

test("ONS then HoC gives exactly the same records as HoC then ONS", async () => {
  const list = seats();
  await importFile("ons.csv", onsCsv(onsSeats(list)));
  await importFile("hoc.csv", hocCsv(list));
  const onsFirst = await constituencyRows();

  await resetDatabase();
  await importFile("hoc.csv", hocCsv(list));
  await importFile("ons.csv", onsCsv(onsSeats(list)));
  const hocFirst = await constituencyRows();

  expect(onsFirst).toHaveLength(6);
  expect(hocFirst).toEqual(onsFirst);
  expect(await constituency("W07000102")).toEqual({
    gss_code: "W07000102",
    name: "Montgomeryshire and Glyndŵr",
    name_cy: "Maldwyn a Glyndŵr",
    slug: "montgomeryshire-and-glyndwr",
    nation: "Wales",
    region_code: "W92000004",
    region_name: "Wales",
    electorate: 72_002,
    source: "hoc-constituencies,ons-constituencies",
  });
});

test("Welsh names from the ONS file are kept, accents and all", async () => {
  await importFile("hoc.csv", hocCsv(seats()));
  await importFile("ons.csv", onsCsv(onsSeats(seats())));

  expect(await constituency("W07000112")).toMatchObject({ name: "Ynys Môn", name_cy: "Ynys Môn", slug: "ynys-mon" });
  expect(await constituency("W07000102")).toMatchObject({ name_cy: "Maldwyn a Glyndŵr" });
  // English seats have no Welsh name: null, not an empty string.
  expect(await constituency("E14001435")).toMatchObject({ name: "Queen's Park and Maida Vale", name_cy: null });
});

test("Glyndŵr keeps its circumflex whichever file comes first, as one record per GSS code", async () => {
  await importFile("ons.csv", onsCsv(onsSeats(seats())));
  // On its own the ONS file can only say what it says.
  expect(await constituency("W07000102")).toMatchObject({ name: "Montgomeryshire and Glyndwr" });

  const hoc = await importFile("hoc.csv", hocCsv(seats()));
  expect(hoc.changes.find((c) => c.key === "W07000102")?.details).toContain(
    'name: "Montgomeryshire and Glyndwr" → "Montgomeryshire and Glyndŵr"',
  );
  // Importing ONS again must not put the ŵ-less spelling back.
  await importFile("ons.csv", onsCsv(onsSeats(seats())));

  expect(await constituency("W07000102")).toMatchObject({ name: "Montgomeryshire and Glyndŵr" });
  const rows = await constituencyRows();
  expect(rows.filter((r) => r.gss_code === "W07000102")).toHaveLength(1);
  expect(rows.filter((r) => String(r.name).startsWith("Montgomeryshire"))).toHaveLength(1);
  expect(rows).toHaveLength(6);
});

test("nation and region come from the HoC file; outside England the region is the nation", async () => {
  await importFile("hoc.csv", hocCsv(seats()));

  expect((await constituencyRows()).map((r) => [r.gss_code, r.nation, r.region_code, r.region_name])).toEqual([
    ["E14001435", "England", "E12000007", "London"],
    [fenhallow.gssCode, "England", "E12000002", "North West"],
    ["N05000001", "Northern Ireland", "N92000002", "Northern Ireland"],
    ["S14000107", "Scotland", "S92000003", "Scotland"],
    ["W07000102", "Wales", "W92000004", "Wales"],
    ["W07000112", "Wales", "W92000004", "Wales"],
  ]);
});

test("the ONS file alone gives the nation from the GSS code, and an English region only once HoC says it", async () => {
  await importFile("ons.csv", onsCsv(seats()));

  expect(await constituency("S14000107")).toMatchObject({
    nation: "Scotland",
    region_code: "S92000003",
    electorate: null,
  });
  expect(await constituency("E14001435")).toMatchObject({ nation: "England", region_code: null, region_name: null });
});

test("an electorate written with thousands separators is read as a number", async () => {
  await importFile("hoc.csv", hocCsv([{ ...realSeats.queensPark, electorate: "71,234" }]));

  expect(await constituency("E14001435")).toMatchObject({ electorate: 71_234 });
});

test("importing the same files again reports 0 changes", async () => {
  await importFile("hoc.csv", hocCsv(seats()));
  await importFile("ons.csv", onsCsv(onsSeats(seats())));
  const before = await snapshotDatabase();

  const hoc = await importFile("hoc.csv", hocCsv(seats()));
  const ons = await importFile("ons.csv", onsCsv(onsSeats(seats())));

  for (const result of [hoc, ons]) {
    expect(result.changes).toEqual([]);
    expect(result).toMatchObject({ rows: 6, added: 0, updated: 0, unchanged: 6 });
    expect(summariseChanges(result)).toBe("0 changes (6 unchanged)");
  }
  // Nothing but the two new import_runs rows.
  const after = await snapshotDatabase();
  expect(after.constituencies).toEqual(before.constituencies);
  expect(after.import_runs).toHaveLength(4);
});

test("a dry run reports the differences and writes nothing", async () => {
  await importFile("hoc.csv", hocCsv(seats()));
  const before = await snapshotDatabase();

  const moved = seats().map((s) => (s.gssCode === "W07000112" ? { ...s, electorate: 54_321 } : s));
  const extra = buildSeat({ name: "Kettlewick Moor" });
  const result = await importFile("hoc-next.csv", hocCsv([...moved, extra]), { dryRun: true });

  expect(result.dryRun).toBe(true);
  expect(result).toMatchObject({ added: 1, updated: 1, unchanged: 5 });
  expect(result.changes).toEqual([
    {
      entity: "constituency",
      type: "updated",
      key: "W07000112",
      label: "Ynys Môn",
      details: ['electorate: "53003" → "54321"'],
    },
    { entity: "constituency", type: "added", key: extra.gssCode, label: "Kettlewick Moor" },
  ]);
  expect(summariseChanges(result)).toBe("2 changes (constituencies: 1 added, 1 updated; 5 unchanged)");
  expect(await snapshotDatabase()).toEqual(before);
});

test("a dry run into an empty database leaves it empty", async () => {
  const result = await importFile("hoc.csv", hocCsv(seats()), { dryRun: true });

  expect(result.added).toBe(6);
  expect(await constituencyRows()).toEqual([]);
  expect((await snapshotDatabase()).import_runs).toEqual([]);
});
