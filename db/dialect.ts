// The few SQL fragments the two engines spell differently
// (docs/decisions/018-postgresql-for-scale-out.md), chosen once by the engine
// this process runs on (db/engine.ts). Everything else is written once, with
// drizzle's builders or SQL both engines share.
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { engine } from "./engine";

const onPostgres = engine === "postgres";

/**
 * A JSON object of key → value over the rows aggregated: SQLite gives its
 * text, PostgreSQL the object itself (node-postgres parses json); readers
 * take either.
 */
export function jsonObjectAgg(key: SQLWrapper, value: SQLWrapper): SQL {
  return onPostgres ? sql`json_object_agg(${key}, ${value})` : sql`json_group_object(${key}, ${value})`;
}

/**
 * `column` contains what `pattern` (already escaped with backslashes, see
 * likeContaining) matches, in any case: SQLite's LIKE ignores ASCII case,
 * PostgreSQL's ILIKE does so for every letter.
 */
export function likeAnyCase(column: SQLWrapper, pattern: string): SQL {
  return onPostgres ? sql`${column} ilike ${pattern} escape '\\'` : sql`${column} like ${pattern} escape '\\'`;
}

/** An ISO-8601 timestamp held as text (Date.toISOString's form), moved on by `seconds`, in the same form. */
export function isoPlusSeconds(timestamp: SQLWrapper, seconds: number): SQL {
  return onPostgres
    ? sql`to_char((${timestamp})::timestamptz at time zone 'UTC' + make_interval(secs => ${seconds}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${timestamp}, ${`+${seconds} seconds`})`;
}

/**
 * A select whose rows this transaction is about to claim: on PostgreSQL
 * `FOR UPDATE SKIP LOCKED`, so two workers claiming at once each take rows
 * the other has not, neither waiting for the other. SQLite's one writer
 * already claims one transaction at a time: the query as it is.
 */
export function claimingSkipLocked<T>(query: T): T {
  if (!onPostgres) return query;
  return (query as unknown as { for(strength: "update", config: { skipLocked: true }): T }).for("update", {
    skipLocked: true,
  });
}
