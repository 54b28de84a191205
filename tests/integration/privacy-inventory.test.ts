// docs/privacy.md is the data inventory a Data Protection Officer lifts into a
// DPIA. It is only worth that if it is complete, so this test holds it against
// the migrated database: every table is either described column by column or
// named as holding no personal data, and every column of a described table has
// its row. Adding a column or a table without saying what it holds fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { db } from "~/utils/db.server";

const inventory = readFileSync(join(import.meta.dirname, "../../docs/privacy.md"), "utf8");

/** Each `### table` section's first-column names, from its markdown table. */
function describedTables() {
  const tables = new Map<string, string[]>();
  for (const section of inventory.split(/^### /m).slice(1)) {
    const [heading = "", ...lines] = section.split("\n");
    const name = heading.trim().replace(/`/g, "");
    const columns = lines
      .filter((line) => line.startsWith("|"))
      .map((line) => line.split("|")[1]?.trim().replace(/`/g, "") ?? "")
      .filter((cell) => cell !== "" && cell !== "Column" && !/^-+$/.test(cell));
    tables.set(name, columns);
  }
  return tables;
}

/** The tables the "no personal data" section names, one `name` a bullet. */
function tablesWithoutPersonalData() {
  const section = inventory.split(/^## Tables that hold no personal data/m)[1]?.split(/^## /m)[0] ?? "";
  return [...section.matchAll(/^- `([a-z_]+)`/gm)].flatMap((match) => (match[1] ? [match[1]] : []));
}

function databaseTables() {
  return db.$client
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != '__drizzle_migrations' order by name",
    )
    .pluck()
    .all() as string[];
}

function columnsOf(table: string) {
  return (db.$client.pragma(`table_info("${table}")`) as { name: string }[]).map((column) => column.name);
}

test("every table is in the inventory: described column by column, or named as holding no personal data", () => {
  const described = describedTables();
  const without = tablesWithoutPersonalData();
  const missing = databaseTables().filter((table) => !described.has(table) && !without.includes(table));
  expect(missing, "tables with no entry in docs/privacy.md").toEqual([]);
  const both = [...described.keys()].filter((table) => without.includes(table));
  expect(both, "tables both described and named as holding no personal data").toEqual([]);
});

test("every column of a table holding personal data has its row in the inventory", () => {
  const missing: string[] = [];
  for (const [table, columns] of describedTables()) {
    for (const column of columnsOf(table)) if (!columns.includes(column)) missing.push(`${table}.${column}`);
  }
  expect(missing, "columns with no row in docs/privacy.md").toEqual([]);
});

test("the inventory describes no table or column the database does not have", () => {
  const tables = databaseTables();
  const stale: string[] = [];
  for (const [table, columns] of describedTables()) {
    if (!tables.includes(table)) {
      stale.push(table);
      continue;
    }
    const actual = columnsOf(table);
    for (const column of columns) if (!actual.includes(column)) stale.push(`${table}.${column}`);
  }
  for (const table of tablesWithoutPersonalData()) if (!tables.includes(table)) stale.push(table);
  expect(stale, "entries in docs/privacy.md for what no longer exists").toEqual([]);
});
