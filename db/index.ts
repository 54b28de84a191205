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
 * timeout so concurrent writers queue instead of failing, recursive
 * triggers so no statement slips past the append-only tables' triggers, and
 * secure_delete so what is deleted or overwritten is zeroed on disk, not left
 * in free space for anyone reading the file (erasure, app/models/erasure.server.ts).
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
  sqlite.pragma("secure_delete = ON");
  return drizzle(sqlite, { schema });
}

// Path arithmetic rather than `new URL`: under jsdom (component tests) the
// global URL is not Node's, and fileURLToPath refuses it.
const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies the committed migrations. SQLite changes a column only by rebuilding
 * its table, and dropping the old table with foreign keys on would cascade to
 * (or fail on) the rows that refer to it. drizzle-kit writes
 * `PRAGMA foreign_keys=OFF` into such a migration, but SQLite ignores it inside
 * the migrator's transaction, so it is turned off here, around the migrator; a
 * rebuilding migration checks the references itself before it commits.
 * `folder` is for tests that stop at an earlier migration.
 */
export function migrateDb(db: Db, { folder = migrationsFolder }: { folder?: string } = {}) {
  db.$client.pragma("foreign_keys = OFF");
  try {
    migrate(db, { migrationsFolder: folder });
  } finally {
    db.$client.pragma("foreign_keys = ON");
  }
}

/**
 * Every write transaction begins IMMEDIATE: it takes the write lock up front,
 * so two writers never both read then deadlock on upgrade (SQLITE_BUSY).
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}

/**
 * A transaction that only reads: one consistent moment of the database (WAL
 * keeps it while others commit), taking no write lock.
 */
export function readTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).deferred();
}

type Waiting = { fn: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
const waitingByDb = new WeakMap<Db, Waiting[]>();

/**
 * Group commit, for web requests. Runs `fn` in a write transaction shared with
 * every other call made in the same turn of the event loop, and resolves only
 * once that transaction has committed, so an acknowledgement still means the
 * write is on disk (synchronous=FULL: fsynced to the WAL). Under a spike one
 * commit, and one fsync, serves many requests: with better-sqlite3 each fsync
 * blocks the event loop, and one per request was most of a submission's time.
 *
 * Each call runs in a savepoint of its own: one that throws (a rate limit, a
 * bad link) is rolled back alone and rejects alone. Should the commit itself
 * fail, nothing was written and every call in the group rejects. Calls run one
 * after another, as separate transactions would, and see the earlier ones' writes.
 */
export function groupCommit<T>(db: Db, fn: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let waiting = waitingByDb.get(db);
    if (!waiting) {
      waiting = [];
      waitingByDb.set(db, waiting);
      // After the I/O callbacks of this turn: the requests that arrived together commit together.
      setImmediate(() => commitWaiting(db));
    }
    waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
  });
}

function commitWaiting(db: Db) {
  const waiting = waitingByDb.get(db) ?? [];
  waitingByDb.delete(db);
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    writeTransaction(db, () => {
      for (const call of waiting) {
        try {
          outcomes.push({ ok: true, value: db.$client.transaction(call.fn)() });
        } catch (error) {
          outcomes.push({ ok: false, error });
        }
      }
    });
  } catch (error) {
    for (const call of waiting) call.reject(error);
    return;
  }
  waiting.forEach((call, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) call.resolve(outcome.value);
    else call.reject(outcome.error);
  });
}
