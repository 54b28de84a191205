// The column builders db/schema.ts is written with, for SQLite. db/columns/pg.ts
// has the same names for PostgreSQL, so the one schema serves both engines
// (docs/decisions/018-postgresql-for-scale-out.md): db/schema.pg.ts is
// db/schema.ts importing those instead, written by `npm run db:generate`.
import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from "drizzle-orm/sqlite-core";

export { index, integer, primaryKey, text, uniqueIndex };
export const table = sqliteTable;
export type AnyColumn = AnySQLiteColumn;

/** A surrogate key the database numbers. */
export const id = () => integer("id").primaryKey({ autoIncrement: true });
/** SQLite has no boolean: 0 and 1. */
export const bool = (name: string) => integer(name, { mode: "boolean" });
/** SQLite has no JSON type: text holding JSON. */
export const json = (name: string) => text(name, { mode: "json" });
/** Now, as Date.toISOString() writes it (UTC, milliseconds, Z). */
export const sqlNow = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;
