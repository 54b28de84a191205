import Database from "better-sqlite3";
import { env } from "~/utils/env.server";

// SQLite's data_version changes when *another* connection commits. The app
// and this server share one connection (db.server.ts keeps it on globalThis),
// so the version is read through a connection of its own that never writes:
// then every commit the app or a separate worker makes moves it.
let reader: Database.Database | undefined;

/** A value that changes whenever anything is committed to the database. */
export function readDataVersion(): string {
  reader ??= new Database(env.DATABASE_PATH, { readonly: true, fileMustExist: true });
  return String(reader.pragma("data_version", { simple: true }));
}
