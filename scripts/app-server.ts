import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { engineFor, type Engine } from "#db/engine";
import { onPostgres, withDatabase } from "./postgres";

/**
 * Where a server's data lives: a SQLite file, or a database on a PostgreSQL
 * server. `env` is what a child process needs to use it (DATABASE_PATH, or
 * DATABASE_URL), for scripts run against the same database (`npm run staff:add`, imports).
 */
export type TestDatabase = {
  engine: Engine;
  /** SQLite only: the file. */
  databasePath?: string;
  /** PostgreSQL only: the database's URL. */
  databaseUrl?: string;
  env: Record<string, string>;
  /** Removes the file (with its folder), or drops the database. */
  drop: () => Promise<void>;
};

export type AppServer = {
  baseUrl: string;
  engine: Engine;
  /** SQLite only: the server's database file. */
  databasePath?: string;
  /** PostgreSQL only: the server's database. */
  databaseUrl?: string;
  /** DATABASE_PATH or DATABASE_URL: for a script run against the server's database. */
  databaseEnv: Record<string, string>;
  /**
   * Rows from the server's database, read without writing, on either engine.
   * `?` placeholders (numbered for PostgreSQL here). Write SQL both engines
   * read alike: `cast(count(*) as integer)`, no rowid, no PRAGMA; booleans
   * come back 0/1 on SQLite and true/false on PostgreSQL, JSON as text on
   * SQLite and parsed on PostgreSQL.
   */
  query: <T = Record<string, unknown>>(sqlText: string, params?: unknown[]) => Promise<T[]>;
  pid: number;
  /** Everything the server has written to stdout and stderr so far. */
  output: () => string;
  stop: () => Promise<void>;
};

/**
 * A new, empty database for one server (or one test's scripts): on the
 * engine this process's DATABASE_URL names. With DATABASE_URL=postgres://…
 * (a server where its user may CREATE DATABASE), `e2e_<random hex>` on that
 * server; otherwise a SQLite file in a new temp folder.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (engineFor(serverUrl) === "postgres") {
    const name = `e2e_${randomBytes(6).toString("hex")}`;
    await onPostgres(serverUrl!, (client) => client.query(`create database ${name}`));
    const databaseUrl = withDatabase(serverUrl!, name);
    return {
      engine: "postgres",
      databaseUrl,
      env: { DATABASE_URL: databaseUrl },
      drop: async () => {
        await onPostgres(serverUrl!, (client) => client.query(`drop database if exists ${name} with (force)`));
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "pledge-e2e-"));
  const databasePath = join(dir, "e2e.sqlite");
  return {
    engine: "sqlite",
    databasePath,
    env: { DATABASE_PATH: databasePath },
    drop: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

/**
 * This process's environment with its database replaced by `databaseEnv`
 * (AppServer.databaseEnv, TestDatabase.env): for a child process, a script
 * or the server, that must use that database and no other.
 */
export function envWithDatabase(databaseEnv: Record<string, string>, extra: Record<string, string> = {}) {
  const { DATABASE_URL: _url, DATABASE_PATH: _path, ...inherited } = process.env;
  return { ...inherited, ...databaseEnv, ...extra };
}

/** `?` placeholders as PostgreSQL numbers them ($1, $2…), leaving quoted strings and names alone. */
function numberPlaceholders(sqlText: string) {
  let n = 0;
  let quote: string | undefined;
  let out = "";
  for (const ch of sqlText) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else out += ch === "?" ? `$${++n}` : ch;
  }
  return out;
}

/**
 * Rows from the database a child's environment names (DATABASE_URL for
 * PostgreSQL, else DATABASE_PATH), read without writing: AppServer.query, for
 * code that has only the environment (a server started by the global setup).
 */
export async function queryDatabase<T = Record<string, unknown>>(
  databaseEnv: Record<string, string>,
  sqlText: string,
  params: unknown[] = [],
): Promise<T[]> {
  const url = databaseEnv.DATABASE_URL;
  if (engineFor(url) === "postgres") {
    // Read-only, as the SQLite connection is: a test looks, never touches.
    return onPostgres(url!, async (client) => (await client.query(numberPlaceholders(sqlText), params)).rows as T[], {
      readOnly: true,
    });
  }
  const path = databaseEnv.DATABASE_PATH;
  if (!path) throw new Error("queryDatabase needs DATABASE_URL=postgres://… or DATABASE_PATH");
  const sqlite = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare(sqlText).all(...params) as T[];
  } finally {
    sqlite.close();
  }
}

/**
 * Used by the browser tests and the benchmarks.
 *
 * Starts the production server (the built app, as `npm start` runs it) on
 * 127.0.0.1 with its own empty database, which it fills with the sample
 * election: a SQLite file, or, when this process's DATABASE_URL names a
 * PostgreSQL server, a new database on that server (createTestDatabase),
 * dropped again by `stop`. Started as node itself, not through npx, so `pid`
 * is the server's. Given a `databasePath` (SQLite) or a `databaseUrl`
 * (PostgreSQL) it serves that database instead (the sample is loaded only
 * into an empty one), and leaves it for its owner to remove.
 */
export async function startAppServer({
  env = {},
  databasePath: givenDatabasePath,
  databaseUrl: givenDatabaseUrl,
}: { env?: Record<string, string>; databasePath?: string; databaseUrl?: string } = {}): Promise<AppServer> {
  if (!existsSync("build/server/index.js")) {
    throw new Error("No build found. Run `npm run build` first (`npm test` does).");
  }
  if (givenDatabasePath && givenDatabaseUrl)
    throw new Error("startAppServer: a databasePath or a databaseUrl, not both");
  if (givenDatabaseUrl && engineFor(givenDatabaseUrl) !== "postgres") {
    throw new Error(`startAppServer: databaseUrl must be postgres://…, not ${givenDatabaseUrl}`);
  }
  const owned = givenDatabasePath || givenDatabaseUrl ? undefined : await createTestDatabase();
  const databaseEnv: Record<string, string> = owned
    ? owned.env
    : givenDatabaseUrl
      ? { DATABASE_URL: givenDatabaseUrl }
      : { DATABASE_PATH: givenDatabasePath! };
  try {
    return await serve({ env, databaseEnv, drop: owned?.drop });
  } catch (error) {
    await owned?.drop();
    throw error;
  }
}

async function serve({
  env,
  databaseEnv,
  drop,
}: {
  env: Record<string, string>;
  databaseEnv: Record<string, string>;
  drop?: () => Promise<void>;
}): Promise<AppServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The one database named here: a DATABASE_URL from this process's
  // environment must not turn a SQLite server into a PostgreSQL one.
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
    env: envWithDatabase(databaseEnv, {
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      MAIL_WORKER_INTERVAL_MS: "200",
      ...env,
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited early:\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exited;
      throw new Error(`The server did not become healthy within 60 s:\n${output}`);
    }
    const healthy = await fetch(`${baseUrl}/healthcheck`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    await new Promise((r) => setTimeout(r, 200));
  }

  const databaseUrl = databaseEnv.DATABASE_URL;
  return {
    baseUrl,
    engine: databaseUrl ? "postgres" : "sqlite",
    ...(databaseUrl ? { databaseUrl } : { databasePath: databaseEnv.DATABASE_PATH }),
    databaseEnv,
    query: (sqlText, params) => queryDatabase(databaseEnv, sqlText, params),
    pid: child.pid ?? 0,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
      await drop?.();
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls a URL until it answers 2xx, for at most a minute. */
export async function waitForHttp(url: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within 60 s`);
}
