// The column builders of db/columns/sqlite.ts, under the same names, for
// PostgreSQL: db/schema.pg.ts is db/schema.ts built with these.
import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  json as jsonText,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";

export { index, integer, primaryKey, text, uniqueIndex };
export const table = pgTable;
export type AnyColumn = AnyPgColumn;

/** A surrogate key the database numbers; a row copied in keeps its own. */
export const id = () => integer("id").primaryKey().generatedByDefaultAsIdentity();
export const bool = (name: string) => boolean(name);
// json, not jsonb: it keeps the text as written, so keys stay in the order
// the app wrote them, as on SQLite (jsonb sorts them, and a saved setting
// would then differ from the same one unsaved). Nothing here queries inside it.
export const json = (name: string) => jsonText(name);
/** Now, as Date.toISOString() writes it, so the two engines' timestamps sort and compare alike. */
export const sqlNow = sql`(to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
