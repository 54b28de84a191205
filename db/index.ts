import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { DrizzleQueryError, sql, type Column, type SQL } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { engineFor, type Engine } from "./engine";
import * as schema from "./schema";

// Typed as SQLite's whichever engine runs: the tables are typed so too
// (db/columns/index.ts), and the query builders share their shape. What only
// one engine has goes through a helper here (changedRows, queryRows, withWriter).
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

// How the app reaches the database (ADR 018, step 2). Model functions are
// async and use one handle, `db`, which is not a connection but stands for
// "the connection this code should use now":
// - inside writeTransaction or readTransaction, the transaction's connection;
// - anywhere else, a read-only connection that is never inside a transaction,
//   so a read outside a transaction sees what is committed, never another
//   request's half-done work, and a write outside one fails loudly.
// SQLite has one writer, and a transaction on a connection takes in every
// statement run on that connection, whoever runs it. So write transactions
// take turns in a queue, one at a time per database: no two ever interleave
// across an `await`, as they could not when everything here was synchronous.
// AsyncLocalStorage carries which transaction the running code is in, through
// its awaits, so nested calls become savepoints of the one transaction.

// On PostgreSQL there is no single writer: each transaction has a pooled
// connection of its own, runs READ COMMITTED, and the models take the locks
// SQLite's one writer gave for free (ADR 018, step 4). Outside a transaction a
// statement runs on any pooled connection, on its own, committed when it returns.

/** SQLite: a connection and the ORM over it. PostgreSQL: a transaction (or savepoint) of drizzle's. */
type Connection = { client?: Database.Database; orm: Db };
type SqliteConnection = { client: Database.Database; orm: Db };

/** One transaction, or one savepoint inside it, and what its code may do. */
type Turn = {
  state: State;
  connection: Connection;
  writable: boolean;
  depth: number;
  /** Savepoints opened by this turn's code: one at a time, in the order asked for. */
  inner: Queue;
};

type Waiting = { fn: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };

type State = SqliteState | PostgresState;

type PostgresState = {
  engine: "postgres";
  pool: pg.Pool;
  /** On the pool: each statement on whichever connection is free. */
  reader: Connection;
  open: boolean;
};

type SqliteState = {
  engine: "sqlite";
  file: string;
  writer: SqliteConnection;
  reader: SqliteConnection;
  /** Opened on first use, for readTransaction: a moment of the database held across awaits. */
  snapshot?: SqliteConnection;
  writes: Queue;
  snapshots: Queue;
  /** Group commit: the calls made in this turn of the event loop. */
  waiting?: Waiting[];
};

/** Runs jobs one after another; a failed job does not stop the next. */
class Queue {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

// On globalThis, as the handle itself is (app/utils/db.server.ts): a module
// loaded afresh (Vite's dev reloads, a test resetting its modules) must still
// know the handle made by the first.
const shared = globalThis as unknown as {
  pledgeDbTurns?: AsyncLocalStorage<Turn>;
  pledgeDbStates?: WeakMap<object, State>;
};
const turns = (shared.pledgeDbTurns ??= new AsyncLocalStorage<Turn>());
const states = (shared.pledgeDbStates ??= new WeakMap<object, State>());

function stateOf(db: Db): State {
  const state = states.get(db);
  if (!state) throw new Error("not a database opened by createDb (db/index.ts)");
  return state;
}

function open(file: string, options: Database.Options = {}): SqliteConnection {
  const client = new Database(file, options);
  client.pragma("busy_timeout = 5000");
  if (!options.readonly) {
    client.pragma("journal_mode = WAL");
    client.pragma("synchronous = FULL");
    // REPLACE deletes the old row without firing delete triggers unless this is
    // on, which would let it rewrite the append-only pledge history.
    client.pragma("recursive_triggers = ON");
    client.pragma("secure_delete = ON");
  }
  client.pragma("foreign_keys = ON");
  return { client, orm: drizzle(client, { schema }) };
}

/**
 * Opens the SQLite file with the pragmas every connection needs: WAL so
 * readers never wait for the writer, synchronous=FULL so an acknowledged write
 * survives a power cut, foreign keys on (SQLite leaves them off), a busy
 * timeout so writers in other processes queue instead of failing, recursive
 * triggers so no statement slips past the append-only tables' triggers, and
 * secure_delete so what is deleted or overwritten is zeroed on disk, not left
 * in free space for anyone reading the file (erasure, app/models/erasure.server.ts).
 * Returns the handle described above; close it with closeDb.
 */
export function createDb(file: string): Db {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const writer = open(file);
  // A second connection to ":memory:" would be another, empty database.
  const reader = file === ":memory:" ? writer : open(file, { readonly: true });
  return handleFor({ engine: "sqlite", file, writer, reader, writes: new Queue(), snapshots: new Queue() });
}

/**
 * Opens a pool of connections to the PostgreSQL database at `url`
 * (postgres://…). The same handle as createDb's; close it with closeDb.
 */
export function createPostgresDb(url: string, { max = 10 }: { max?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle pooled connection that the server drops must not crash the process.
  pool.on("error", (error) => console.error(`PostgreSQL: an idle connection failed: ${error.message}`));
  const orm = drizzlePg(pool, { schema }) as unknown as Db;
  return handleFor({ engine: "postgres", pool, reader: { orm }, open: true });
}

/** The database the environment names: PostgreSQL at `url` when it is one, otherwise the SQLite file. */
export function openDatabase({ url, file }: { url?: string; file: string }): Db {
  return engineFor(url) === "postgres" ? createPostgresDb(url!) : createDb(file);
}

/** Which engine a handle runs on. */
export function engineOf(db: Db): Engine {
  return stateOf(db).engine;
}

function handleFor(state: State): Db {
  const handle = new Proxy(state.reader.orm, {
    get(_target, property) {
      const turn = turns.getStore();
      const orm = turn?.state === state ? turn.connection.orm : state.reader.orm;
      const value: unknown = Reflect.get(orm, property, orm);
      return typeof value === "function" ? value.bind(orm) : value;
    },
  });
  states.set(handle, state);
  return handle;
}

/** Closes every connection the handle opened. */
export async function closeDb(db: Db) {
  const state = stateOf(db);
  if (state.engine === "postgres") {
    if (!state.open) return;
    state.open = false;
    await state.pool.end();
    return;
  }
  const { writer, reader, snapshot } = state;
  for (const connection of new Set([writer, reader, snapshot])) if (connection?.client.open) connection.client.close();
}

/** Whether closeDb has been called: a process that is closing starts nothing new. */
export function isDbOpen(db: Db) {
  const state = stateOf(db);
  return state.engine === "postgres" ? state.open : state.writer.client.open;
}

// Path arithmetic rather than `new URL`: under jsdom (component tests) the
// global URL is not Node's, and fileURLToPath refuses it.
const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "migrations");
const pgMigrationsFolder = join(dirname(fileURLToPath(import.meta.url)), "migrations-pg");

/**
 * Applies the committed migrations. SQLite changes a column only by rebuilding
 * its table, and dropping the old table with foreign keys on would cascade to
 * (or fail on) the rows that refer to it. drizzle-kit writes
 * `PRAGMA foreign_keys=OFF` into such a migration, but SQLite ignores it inside
 * the migrator's transaction, so it is turned off here, around the migrator; a
 * rebuilding migration checks the references itself before it commits.
 * `folder` is for tests that stop at an earlier migration. Run at start-up,
 * before anything else uses the database.
 */
export async function migrateDb(db: Db, { folder }: { folder?: string } = {}) {
  const state = stateOf(db);
  if (state.engine === "postgres") {
    // Several processes may start at once: the lock makes one migrate while
    // the others wait, then find nothing left to do.
    const client = await state.pool.connect();
    try {
      await client.query("select pg_advisory_lock(1014)");
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder: folder ?? pgMigrationsFolder });
    } finally {
      await client.query("select pg_advisory_unlock(1014)").catch(() => undefined);
      client.release();
    }
    return;
  }
  folder ??= migrationsFolder;
  const { writer } = state;
  writer.client.pragma("foreign_keys = OFF");
  try {
    migrate(writer.orm, { migrationsFolder: folder });
  } finally {
    writer.client.pragma("foreign_keys = ON");
  }
}

async function transaction<T>(
  state: SqliteState,
  connection: SqliteConnection,
  writable: boolean,
  fn: () => T | Promise<T>,
) {
  const { client } = connection;
  // IMMEDIATE takes the write lock up front, so two writers (this process and
  // a worker) never both read then deadlock on upgrade (SQLITE_BUSY).
  client.exec(writable ? "BEGIN IMMEDIATE" : "BEGIN");
  try {
    const value = await turns.run({ state, connection, writable, depth: 0, inner: new Queue() }, fn);
    client.exec("COMMIT");
    return value;
  } catch (error) {
    if (client.inTransaction) client.exec("ROLLBACK");
    throw error;
  }
}

type PgTransactionOrm = { transaction<T>(fn: (tx: unknown) => Promise<T>, config?: object): Promise<T> };

/**
 * drizzle wraps node-postgres's errors in one whose message is the whole
 * query with its parameters, which may be a person's email; better-sqlite3's
 * reach the caller as they are. The driver's own error, then, on both: it
 * says what was refused (a trigger's message, a unique key) and nothing more.
 */
export function driverError(error: unknown): unknown {
  return error instanceof DrizzleQueryError && error.cause instanceof Error ? error.cause : error;
}

// PostgreSQL may end a transaction that deadlocked with another, or (under
// REPEATABLE READ) one whose rows changed under it: nothing of it is kept, so
// it is simply run again, a few times.
const retryable = new Set(["40P01", "40001"]);

type PgTransactionConfig = {
  isolationLevel: "read committed" | "repeatable read";
  accessMode?: "read only";
};

/**
 * One PostgreSQL transaction on `orm` (the pool, or a session's own
 * connection), retried whole when the server ends it as a deadlock or a
 * serialization failure. `enter` wraps the transaction's code, for a
 * session that must know its own turns.
 */
async function pgTransaction<T>(
  state: PostgresState,
  config: PgTransactionConfig,
  fn: () => T | Promise<T>,
  { orm = state.reader.orm, enter = (run) => run() }: { orm?: Db; enter?: (run: () => unknown) => unknown } = {},
): Promise<T> {
  const writable = config.accessMode !== "read only";
  for (let attempt = 1; ; attempt++) {
    try {
      return await (orm as unknown as PgTransactionOrm).transaction(
        (tx) =>
          Promise.resolve(
            enter(() =>
              turns.run({ state, connection: { orm: tx as Db }, writable, depth: 0, inner: new Queue() }, fn),
            ) as T | Promise<T>,
          ),
        config,
      );
    } catch (error) {
      const cause = driverError(error);
      const code = (cause as { code?: unknown }).code;
      if (attempt >= 5 || typeof code !== "string" || !retryable.has(code)) throw cause;
    }
  }
}

/** Runs `fn` in a savepoint of the transaction `turn` is in: if it throws, its writes alone are undone. */
function savepoint<T>(turn: Turn, fn: () => T | Promise<T>): Promise<T> {
  return turn.inner.run(async () => {
    const depth = turn.depth + 1;
    if (turn.state.engine === "postgres") {
      const orm = turn.connection.orm as unknown as PgTransactionOrm;
      return orm
        .transaction((tx) =>
          Promise.resolve(turns.run({ ...turn, connection: { orm: tx as Db }, depth, inner: new Queue() }, fn)),
        )
        .catch((error: unknown) => {
          throw driverError(error);
        });
    }
    const name = `sp${depth}`;
    const client = turn.connection.client!;
    client.exec(`SAVEPOINT ${name}`);
    try {
      const value = await turns.run({ ...turn, depth, inner: new Queue() }, fn);
      client.exec(`RELEASE ${name}`);
      return value;
    } catch (error) {
      if (client.inTransaction) {
        client.exec(`ROLLBACK TO ${name}`);
        client.exec(`RELEASE ${name}`);
      }
      throw error;
    }
  });
}

/**
 * Runs `fn` in a write transaction and resolves once it has committed; if it
 * throws, nothing it wrote is kept. Called inside another transaction, it is a
 * savepoint of that one. Every write goes through here.
 */
export function writeTransaction<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
  const state = stateOf(db);
  const turn = turns.getStore();
  if (turn?.state === state) {
    if (!turn.writable) return Promise.reject(new Error("a write inside a read-only transaction"));
    return savepoint(turn, fn);
  }
  if (state.engine === "postgres") return pgTransaction(state, { isolationLevel: "read committed" }, fn);
  return state.writes.run(() => transaction(state, state.writer, true, fn));
}

/**
 * A transaction that only reads: one consistent moment of the database, held
 * across awaits (WAL keeps it while others commit; on PostgreSQL, REPEATABLE
 * READ), taking no write lock. Inside another transaction, it is simply part
 * of that one.
 */
export function readTransaction<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
  const state = stateOf(db);
  const turn = turns.getStore();
  if (turn?.state === state) return Promise.resolve(turns.run(turn, fn));
  if (state.engine === "postgres")
    return pgTransaction(state, { isolationLevel: "repeatable read", accessMode: "read only" }, fn);
  return state.snapshots.run(() => {
    state.snapshot ??= state.file === ":memory:" ? state.writer : open(state.file, { readonly: true });
    return transaction(state, state.snapshot, false, fn);
  });
}

/**
 * SQLite only: runs `fn` with the writing connection itself. Outside a
 * transaction it waits its turn, so no transaction of this process is open:
 * for what SQLite refuses inside one (a checkpoint) or what manages its own (a
 * bulk load through temporary tables, which belong to one connection). Inside
 * a write transaction it is simply part of that one.
 */
export function withWriter<T>(db: Db, fn: (client: Database.Database) => T | Promise<T>): Promise<T> {
  const state = stateOf(db);
  if (state.engine !== "sqlite") return Promise.reject(new Error("withWriter is SQLite's alone"));
  const turn = turns.getStore();
  if (turn?.state === state) {
    if (!turn.writable) return Promise.reject(new Error("withWriter inside a read-only transaction"));
    return Promise.resolve(turns.run(turn, () => fn(state.writer.client)));
  }
  return state.writes.run(() =>
    turns.run({ state, connection: state.writer, writable: true, depth: 0, inner: new Queue() }, async () =>
      fn(state.writer.client),
    ),
  );
}

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
export async function groupCommit<T>(db: Db, fn: () => T | Promise<T>): Promise<T> {
  const state = stateOf(db);
  // Already in a transaction: part of it, as any nested write is. On
  // PostgreSQL, whose commits do not block the event loop and run side by
  // side, each call is a transaction of its own.
  if (turns.getStore()?.state === state || state.engine === "postgres") return writeTransaction(db, fn);
  return new Promise<T>((resolve, reject) => {
    if (!state.waiting) {
      state.waiting = [];
      // After the I/O callbacks of this turn: the requests that arrived together commit together.
      setImmediate(() => void commitWaiting(state));
    }
    state.waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
  });
}

async function commitWaiting(state: SqliteState) {
  const waiting = state.waiting ?? [];
  state.waiting = undefined;
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    await state.writes.run(() =>
      transaction(state, state.writer, true, async () => {
        const turn = turns.getStore()!;
        for (const call of waiting) {
          try {
            outcomes.push({ ok: true, value: await savepoint(turn, call.fn) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      }),
    );
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

/**
 * Statements prepared once per connection, on first use there. A statement
 * belongs to the connection it was prepared on, and `db` is a different
 * connection inside a transaction than outside one, so a statement kept from
 * one moment would run on the wrong connection at another. Returns a function
 * giving the statements for the connection in use now. Run them with
 * `await statement.execute(values)`, which both engines have (SQLite's
 * `.get()` and `.run()` are its own).
 */
export function preparedPerConnection<T>(db: Db, prepare: () => T): () => T {
  const state = stateOf(db);
  const made = new WeakMap<object, T>();
  return () => {
    const turn = turns.getStore();
    const orm = turn?.state === state ? turn.connection.orm : state.reader.orm;
    let statements = made.get(orm);
    if (statements === undefined) {
      statements = prepare();
      made.set(orm, statements);
    }
    return statements;
  };
}

/** Whether the running code is inside a transaction (or withWriter) of this database. */
export function isInTransaction(db: Db) {
  return turns.getStore()?.state === stateOf(db);
}

/**
 * How many rows an INSERT, UPDATE or DELETE changed, from what awaiting it
 * gave: better-sqlite3's `changes`, node-postgres's `rowCount`. One name for
 * both, so a model asks "did this claim take?" the same way on either engine.
 */
export function changedRows(result: { changes: number } | { rowCount: number | null }) {
  return "changes" in result ? result.changes : (result.rowCount ?? 0);
}

/**
 * The rows of a statement written in SQL, on either engine (SQLite's
 * `db.all`, PostgreSQL's `db.execute`). Column names are as the SQL gives them.
 */
export async function queryRows<T extends Record<string, unknown>>(db: Db, query: SQL): Promise<T[]> {
  if (engineOf(db) === "postgres") return (await pgQuery<T>(db, query)).rows;
  return db.all<T>(query);
}

/**
 * Inside a write transaction, makes any other transaction that locks the same
 * rows wait until this one ends, so a read-then-write of them is never
 * interleaved with another. SQLite needs nothing: its one writer already
 * runs write transactions one at a time. PostgreSQL: SELECT … FOR UPDATE,
 * of the rows of `key`'s table that `where` picks.
 */
export async function lockRows(db: Db, key: Column, where: SQL | undefined) {
  if (engineOf(db) !== "postgres") return;
  if (!isInTransaction(db)) throw new Error("lockRows outside a transaction locks nothing");
  // In key order, so two transactions locking overlapping rows never each
  // hold one while waiting for the other's.
  await queryRows(db, sql`select 1 from ${key.table} where ${where ?? sql`true`} order by ${key} for update`);
}

/** Fails unless the database answers a trivial query: the health check. */
export async function pingDb(db: Db) {
  await queryRows(db, sql`select 1 as one`);
}

/**
 * What openPostgresSession gives: work spread over many steps on one
 * PostgreSQL connection. `query` runs a statement there (inside `transaction`,
 * as part of it; otherwise on its own, committed when it returns);
 * `transaction` runs `fn` as a write transaction there, in which `db` is that
 * transaction and nested writeTransactions are its savepoints.
 */
export type PostgresSession = {
  /** False when the session is the write transaction it was opened in, rather than a connection of its own. */
  ownConnection: boolean;
  query<T extends Record<string, unknown>>(query: SQL): Promise<{ rows: T[]; rowCount: number }>;
  transaction<T>(fn: () => T | Promise<T>, config?: PgTransactionConfig): Promise<T>;
  /** Ends the session; with a connection of its own, closes that connection. Safe to call twice. */
  close(): Promise<void>;
};

type PgExecutor = { execute(query: SQL): Promise<{ rows: unknown[]; rowCount: number | null }> };

async function pgQuery<T>(orm: Db, query: SQL) {
  try {
    const result = await (orm as unknown as PgExecutor).execute(query);
    return { rows: result.rows as T[], rowCount: result.rowCount ?? 0 };
  } catch (error) {
    throw driverError(error);
  }
}

// Which session's transaction the running code is in: its turn alone does not
// say, as the session's connection is not the one writeTransaction would pick.
const sessionTurns = ((globalThis as unknown as { pledgeDbSessions?: AsyncLocalStorage<object> }).pledgeDbSessions ??=
  new AsyncLocalStorage<object>());

/**
 * PostgreSQL only, its counterpart of withWriter for a bulk load through
 * temporary tables: a temporary table belongs to the session that made it,
 * and outside a transaction each statement may run on a different pooled
 * connection. So this checks one connection out of the pool and keeps it,
 * running every step there, one at a time, until `close`. `close` closes that
 * connection rather than handing it back, so its temporary tables go with it,
 * as they do when the process dies: nothing of them outlives the session.
 * It holds one of the pool's connections meanwhile.
 *
 * Opened inside a write transaction, the session is that transaction (so
 * what the load writes commits or rolls back with it), each `transaction` a
 * savepoint of it; the caller drops the temporary tables it made.
 */
export async function openPostgresSession(db: Db): Promise<PostgresSession> {
  const state = stateOf(db);
  if (state.engine !== "postgres") throw new Error("openPostgresSession is PostgreSQL's alone");
  const outer = turns.getStore();
  if (outer?.state === state) {
    if (!outer.writable) throw new Error("openPostgresSession inside a read-only transaction");
    const ended = () => turns.getStore()?.state !== state;
    const endedError = () => Promise.reject(new Error("the transaction this session was opened in has ended"));
    return {
      ownConnection: false,
      query: (query) => (ended() ? endedError() : pgQuery(turns.getStore()!.connection.orm, query)),
      transaction: (fn) => (ended() ? endedError() : writeTransaction(db, fn)),
      close: async () => {},
    };
  }

  const client = await state.pool.connect();
  // A checked-out connection has no listener of the pool's: without one, the
  // server dropping it would crash the process. The next statement fails instead.
  client.on("error", (error) => console.error(`PostgreSQL: a session's connection failed: ${error.message}`));
  const orm = drizzlePg(client, { schema }) as unknown as Db;
  const session = {};
  const steps = new Queue();
  let open = true;
  const inSession = () => sessionTurns.getStore() === session && turns.getStore()?.state === state;
  const closedError = () => Promise.reject(new Error("the PostgreSQL session is closed"));

  return {
    ownConnection: true,
    query(query) {
      if (!open) return closedError();
      if (inSession()) return pgQuery(turns.getStore()!.connection.orm, query);
      return steps.run(() => pgQuery(orm, query));
    },
    transaction(fn, config = { isolationLevel: "read committed" }) {
      if (!open) return closedError();
      if (inSession()) return writeTransaction(db, fn);
      return steps.run(() => pgTransaction(state, config, fn, { orm, enter: (run) => sessionTurns.run(session, run) }));
    },
    async close() {
      if (!open) return;
      open = false;
      // After any step still running; true: closed, not returned to the pool.
      await steps.run(async () => client.release(true));
    },
  };
}
