import Database from "better-sqlite3";
import { env } from "~/utils/env.server";

// SQLite's data_version changes when *another* connection commits. The app
// and this server share one connection (db.server.ts keeps it on globalThis),
// so the version is read through a connection of its own that never writes:
// then every commit the app or a separate worker makes moves it.
// It is read on every request the page cache answers: a statement prepared
// once, since `pragma()` prepares one each call (a fifth of a cache hit's time).
let statement: Database.Statement<[], number> | undefined;

/** A value that changes whenever anything is committed to the database. */
export function readDataVersion(): string {
  statement ??= new Database(env.DATABASE_PATH, { readonly: true, fileMustExist: true })
    .prepare<[], number>("PRAGMA data_version")
    .pluck();
  return String(statement.get());
}
