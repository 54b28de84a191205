// Writes db/schema.pg.ts: db/schema.ts, built with PostgreSQL's column
// builders (db/columns/pg.ts) instead of SQLite's. One schema, two engines
// (docs/decisions/018-postgresql-for-scale-out.md). `npm run db:generate`
// runs it between SQLite's and PostgreSQL's drizzle-kit; a test fails when
// the file is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const db = join(dirname(fileURLToPath(import.meta.url)), "../db");
const engineColumns = 'from "./columns";';

/** What db/schema.pg.ts must hold for this db/schema.ts. */
export function pgSchemaSource(schema: string): string {
  if (schema.split(engineColumns).length !== 2) {
    throw new Error(`db/schema.ts must import its column builders once, ${engineColumns}`);
  }
  if (/drizzle-orm\/sqlite-core/.test(schema)) {
    throw new Error("db/schema.ts must build columns through ./columns, not drizzle-orm/sqlite-core directly");
  }
  const header =
    "// Written by `npm run db:generate` from db/schema.ts: edit that, not this.\n" +
    "// The same tables, built with PostgreSQL's column builders (db/columns/pg.ts).\n";
  return header + schema.replace(engineColumns, 'from "./columns/pg";');
}

export const pgSchemaPath = join(db, "schema.pg.ts");

export function readSchemaSources() {
  return { schema: readFileSync(join(db, "schema.ts"), "utf8"), pg: readFileSync(pgSchemaPath, "utf8") };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(pgSchemaPath, pgSchemaSource(readFileSync(join(db, "schema.ts"), "utf8")));
  console.log(`Wrote ${pgSchemaPath}`);
}
