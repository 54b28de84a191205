import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Opens the SQLite file with the pragmas every connection needs: WAL so
 * readers never wait for the writer, synchronous=FULL so an acknowledged write
 * survives a power cut, foreign keys on (SQLite leaves them off), and a busy
 * timeout so concurrent writers queue instead of failing, and recursive
 * triggers so no statement slips past the append-only tables' triggers.
 */
export function createDb(file: string): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // REPLACE deletes the old row without firing delete triggers unless this is
  // on, which would let it rewrite the append-only pledge history.
  sqlite.pragma("recursive_triggers = ON");
  return drizzle(sqlite, { schema });
}

// Path arithmetic rather than `new URL`: under jsdom (component tests) the
// global URL is not Node's, and fileURLToPath refuses it.
const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export function migrateDb(db: Db) {
  migrate(db, { migrationsFolder });
}

/**
 * Every write transaction begins IMMEDIATE: it takes the write lock up front,
 * so two writers never both read then deadlock on upgrade (SQLITE_BUSY).
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}
