import Database from "better-sqlite3";
import pg from "pg";
import { env } from "~/utils/env.server";

// The page cache (ADR 004) keeps a page until this value changes, so it must
// change whenever anything is committed, by this process or any other.

// SQLite's data_version changes when *another* connection commits. The app
// and this server share one connection (db.server.ts keeps it on globalThis),
// so the version is read through a connection of its own that never writes:
// then every commit the app or a separate worker makes moves it.
// It is read on every request the page cache answers: a statement prepared
// once, since `pragma()` prepares one each call (a fifth of a cache hit's time).
let statement: Database.Statement<[], number> | undefined;

function sqliteDataVersion() {
  statement ??= new Database(env.DATABASE_PATH, { readonly: true, fileMustExist: true })
    .prepare<[], number>("PRAGMA data_version")
    .pluck();
  return String(statement.get());
}

// PostgreSQL: every table notifies `data_changed` when a statement writes to
// it (migration 0003 of db/migrations-pg), delivered once its transaction has
// committed, to every process listening. Each notification moves the version.
// Until the listening connection is up, and whenever it is lost, nothing can
// be known: every read is then a version never seen before, so nothing cached
// is served, and a new connection is tried.
const listening = { connected: false, connecting: false, notifications: 0, unknown: 0 };

function listen(url: string) {
  if (listening.connecting || listening.connected) return;
  listening.connecting = true;
  const client = new pg.Client({ connectionString: url });
  const lost = () => {
    listening.connected = false;
    listening.connecting = false;
    client.removeAllListeners();
    client.end().catch(() => undefined);
  };
  client.on("notification", () => {
    listening.notifications++;
  });
  client.on("error", lost);
  client.on("end", lost);
  client
    .connect()
    .then(() => client.query("LISTEN data_changed"))
    .then(() => {
      listening.connecting = false;
      listening.connected = true;
      // What was committed before LISTEN took effect is not in the count: a new number, not an old one.
      listening.notifications++;
    })
    .catch((error: Error) => {
      console.error(
        `The page cache could not listen for changes (${error.message}); it serves nothing cached meanwhile.`,
      );
      lost();
    });
  // The listener must not keep a finished process (a script, a test) alive.
  (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
}

function postgresDataVersion(url: string) {
  listen(url);
  if (!listening.connected) return `unknown:${++listening.unknown}`;
  return `pg:${listening.notifications}`;
}

/** A value that changes whenever anything is committed to the database. */
export function readDataVersion(): string {
  return env.DATABASE_URL ? postgresDataVersion(env.DATABASE_URL) : sqliteDataVersion();
}
