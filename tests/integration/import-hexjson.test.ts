import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { queryRows } from "#db/index";
import { runImport } from "~/importers/import.server";
import { db } from "~/utils/db.server";
import { snapshotDatabase } from "../db";
import { buildSeat, hexJson, hocCsv, writeInputFile, type Hex } from "../factories";

const now = () => new Date("2024-06-01T12:00:00.000Z");

const north = buildSeat({ name: "Northcote Fells" });
const middle = buildSeat({ name: "Middlemarsh" });
const south = buildSeat({ name: "Southby Reach" });

async function importSeats() {
  await runImport({ path: writeInputFile("hoc.csv", hocCsv([north, middle, south])), now });
}

const layout: Record<string, Hex> = {
  [north.gssCode]: { q: 1, r: 0, n: "Northcote Fells" },
  [middle.gssCode]: { q: 1, r: -1, n: "Middlemarsh" },
  [south.gssCode]: { q: 2, r: -2, n: "Southby Reach" },
};

// The file name is the layout's id, so every import here reuses "uk.hexjson".
async function importHexes(hexes: Record<string, Hex>, { kind = "odd-r", dryRun = false } = {}) {
  return runImport({ path: writeInputFile("uk.hexjson", hexJson({ layout: kind, hexes })), now, dryRun });
}

async function hexRows() {
  return queryRows(db, sql`select layout_id, constituency_code, q, r from hexes order by constituency_code`);
}

test.each(["odd-r", "even-r", "odd-q", "even-q"])('accepts a "%s" layout', async (kind) => {
  await importSeats();

  const result = await importHexes(layout, { kind });

  expect(result).toMatchObject({ kind: "hexjson", rows: 3, added: 3 });
  expect(await queryRows(db, sql`select id, layout, source from hex_layouts`)).toEqual([
    { id: "uk", layout: kind, source: "uk.hexjson" },
  ]);
  expect(await hexRows()).toEqual([
    { layout_id: "uk", constituency_code: north.gssCode, q: 1, r: 0 },
    { layout_id: "uk", constituency_code: middle.gssCode, q: 1, r: -1 },
    { layout_id: "uk", constituency_code: south.gssCode, q: 2, r: -2 },
  ]);
});

test("importing the same layout again reports 0 changes", async () => {
  await importSeats();
  await importHexes(layout);
  const before = await hexRows();

  const again = await importHexes(layout);

  expect(again.changes).toEqual([]);
  expect(again).toMatchObject({ rows: 3, unchanged: 3, added: 0, updated: 0, removed: 0 });
  expect(await hexRows()).toEqual(before);
});

test("a hex that moved is reported as updated, with its old and new position", async () => {
  await importSeats();
  await importHexes(layout);

  const result = await importHexes({ ...layout, [south.gssCode]: { q: 3, r: -2 } });

  expect(result.changes).toEqual([
    {
      entity: "hex",
      type: "updated",
      key: south.gssCode,
      label: `${south.gssCode} at q=3, r=-2`,
      details: ["position: 2,-2 → 3,-2"],
    },
  ]);
  expect(result).toMatchObject({ updated: 1, unchanged: 2 });
  expect(await hexRows()).toContainEqual({ layout_id: "uk", constituency_code: south.gssCode, q: 3, r: -2 });
});

test("two hexes can swap places in one import", async () => {
  // Moving one onto the other's old spot must not trip the unique (q, r) index.
  await importSeats();
  await importHexes(layout);

  const result = await importHexes({ ...layout, [north.gssCode]: { q: 1, r: -1 }, [middle.gssCode]: { q: 1, r: 0 } });

  expect(result.updated).toBe(2);
  expect(await hexRows()).toEqual([
    { layout_id: "uk", constituency_code: north.gssCode, q: 1, r: -1 },
    { layout_id: "uk", constituency_code: middle.gssCode, q: 1, r: 0 },
    { layout_id: "uk", constituency_code: south.gssCode, q: 2, r: -2 },
  ]);
});

test("a hex dropped from the file is removed from the layout", async () => {
  await importSeats();
  await importHexes(layout);

  const { [middle.gssCode]: _dropped, ...rest } = layout;
  const result = await importHexes(rest);

  expect(result.changes).toEqual([{ entity: "hex", type: "removed", key: middle.gssCode, label: middle.gssCode }]);
  expect(result).toMatchObject({ removed: 1, unchanged: 2 });
  expect(await hexRows()).toEqual([
    { layout_id: "uk", constituency_code: north.gssCode, q: 1, r: 0 },
    { layout_id: "uk", constituency_code: south.gssCode, q: 2, r: -2 },
  ]);
  // The constituency itself stays: only its place on this map went.
  expect(await queryRows(db, sql`select cast(count(*) as integer) as n from constituencies`)).toEqual([{ n: 3 }]);
});

test("a dry run of a changed layout reports the moves and writes nothing", async () => {
  await importSeats();
  await importHexes(layout);
  const before = await snapshotDatabase();

  const result = await importHexes({ ...layout, [south.gssCode]: { q: 5, r: -5 } }, { dryRun: true });

  expect(result.changes.map((c) => [c.type, c.key])).toEqual([["updated", south.gssCode]]);
  expect(await snapshotDatabase()).toEqual(before);
});
