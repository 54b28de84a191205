// docs/privacy.md is the data inventory a Data Protection Officer lifts into a
// DPIA. It is only worth that if it is complete, so this test holds it against
// the migrated database: every table is either described column by column or
// named as holding no personal data, and every column of a described table has
// its row. Adding a column or a table without saying what it holds fails here.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { expect, test } from "vitest";
import { engineOf, queryRows } from "#db/index";
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

// information_schema on either engine: SQLite has none, so sqlite_master and
// pragma_table_info there. drizzle's journal is on PostgreSQL in a schema of
// its own ("drizzle"), so only the public schema's tables are the app's.
async function databaseTables() {
  const rows = await queryRows<{ name: string }>(
    db,
    engineOf(db) === "postgres"
      ? sql`select table_name as name from information_schema.tables
            where table_schema = 'public' and table_type = 'BASE TABLE' and table_name != '__drizzle_migrations'
            order by table_name`
      : sql`select name from sqlite_master
            where type = 'table' and name not like 'sqlite_%' and name != '__drizzle_migrations' order by name`,
  );
  return rows.map((row) => row.name);
}

async function columnsOf(table: string) {
  const rows = await queryRows<{ name: string }>(
    db,
    engineOf(db) === "postgres"
      ? sql`select column_name as name from information_schema.columns
            where table_schema = 'public' and table_name = ${table} order by ordinal_position`
      : sql`select name from pragma_table_info(${table}) order by cid`,
  );
  return rows.map((row) => row.name);
}

test("every table is in the inventory: described column by column, or named as holding no personal data", async () => {
  const described = describedTables();
  const without = tablesWithoutPersonalData();
  const missing = (await databaseTables()).filter((table) => !described.has(table) && !without.includes(table));
  expect(missing, "tables with no entry in docs/privacy.md").toEqual([]);
  const both = [...described.keys()].filter((table) => without.includes(table));
  expect(both, "tables both described and named as holding no personal data").toEqual([]);
});

test("every column of a table holding personal data has its row in the inventory", async () => {
  const missing: string[] = [];
  for (const [table, columns] of describedTables()) {
    for (const column of await columnsOf(table)) if (!columns.includes(column)) missing.push(`${table}.${column}`);
  }
  expect(missing, "columns with no row in docs/privacy.md").toEqual([]);
});

test("the inventory describes no table or column the database does not have", async () => {
  const tables = await databaseTables();
  const stale: string[] = [];
  for (const [table, columns] of describedTables()) {
    if (!tables.includes(table)) {
      stale.push(table);
      continue;
    }
    const actual = await columnsOf(table);
    for (const column of columns) if (!actual.includes(column)) stale.push(`${table}.${column}`);
  }
  for (const table of tablesWithoutPersonalData()) if (!tables.includes(table)) stale.push(table);
  expect(stale, "entries in docs/privacy.md for what no longer exists").toEqual([]);
});
