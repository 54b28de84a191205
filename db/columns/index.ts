// The column builders db/schema.ts is written with: SQLite's (./sqlite.ts) or
// PostgreSQL's (./pg.ts), the same names, chosen by the engine this process
// runs on. So the tables the models import are the engine's own, and a query
// built from them maps booleans and JSON as that engine stores them.
// TypeScript cannot make a module's types depend on an environment variable,
// so the types are always SQLite's; db/schema.pg.ts (written by
// `npm run db:generate`) is the same schema typed for PostgreSQL, for
// drizzle-kit and for code that needs both engines at once (db:copy).
import { engine } from "../engine";
import * as pg from "./pg";
import * as sqliteColumns from "./sqlite";

// Named one by one: the unused-export check does not follow a namespace through an expression.
const sqlite = {
  bool: sqliteColumns.bool,
  id: sqliteColumns.id,
  index: sqliteColumns.index,
  integer: sqliteColumns.integer,
  json: sqliteColumns.json,
  primaryKey: sqliteColumns.primaryKey,
  sqlNow: sqliteColumns.sqlNow,
  table: sqliteColumns.table,
  text: sqliteColumns.text,
  uniqueIndex: sqliteColumns.uniqueIndex,
};
const chosen = engine === "postgres" ? (pg as unknown as typeof sqlite) : sqlite;

export const { bool, id, index, integer, json, primaryKey, sqlNow, table, text, uniqueIndex } = chosen;
export type AnyColumn = sqliteColumns.AnyColumn;
