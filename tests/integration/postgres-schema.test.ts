// One schema, two engines (issue 14, docs/decisions/018-postgresql-for-scale-out.md):
// db/schema.pg.ts is db/schema.ts built with PostgreSQL's column builders,
// and PostgreSQL's committed migrations make the same tables, columns and
// append-only rules as SQLite's.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { closeDb, createDb, migrateDb } from "#db/index";
import { defaultConsentWordings } from "~/utils/consent";
import { pgSchemaSource, readSchemaSources } from "../../scripts/db-schema-pg";
import { startPostgresCluster, type PostgresCluster } from "../../scripts/postgres-cluster";
import { skipWithoutPostgres } from "../postgres";

test("db/schema.pg.ts is db/schema.ts with PostgreSQL's builders (`npm run db:generate` writes it)", () => {
  const { schema, pg: written } = readSchemaSources();
  expect(written).toBe(pgSchemaSource(schema));
});

test("the schema builds its columns through db/columns alone, so the copy changes nothing else", () => {
  expect(() => pgSchemaSource('import { text } from "drizzle-orm/sqlite-core";\nimport {} from "./columns";')).toThrow(
    /through \.\/columns,/,
  );
  expect(() => pgSchemaSource("const a = 1;")).toThrow(/import its column builders once/);
});

test.for([
  ["sqlite", "db/schema.ts", "db/migrations"],
  ["postgresql", "db/schema.pg.ts", "db/migrations-pg"],
] as const)(
  "the committed %s migrations are up to date with the schema",
  { timeout: 60_000 },
  ([dialect, schema, migrations]) => {
    // drizzle-kit against a copy of the migrations, so a change it finds is
    // written there, not here. It reads its paths as relative ones.
    mkdirSync("node_modules/.cache", { recursive: true });
    const dir = mkdtempSync("node_modules/.cache/pledge-migrations-");
    try {
      cpSync(migrations, join(dir, "out"), { recursive: true });
      const config = join(dir, "drizzle.config.json");
      writeFileSync(config, JSON.stringify({ dialect, schema, out: join(dir, "out") }));
      // db/schema.ts builds the tables of the engine DATABASE_URL names (db/columns/index.ts).
      const { DATABASE_URL: _url, ...env } = process.env;
      const run = spawnSync("npx", ["drizzle-kit", "generate", "--config", config], { encoding: "utf8", env });
      expect(run.stdout, run.stderr).toContain("No schema changes, nothing to migrate");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

const skip = skipWithoutPostgres("the PostgreSQL schema tests");

type Column = { table: string; column: string; notNull: boolean };

/** Every table and column of a fresh SQLite database, migrated. */
async function sqliteColumns(): Promise<Column[]> {
  const sqlite = createDb(":memory:");
  await migrateDb(sqlite);
  const tables = sqlite.$client
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != '__drizzle_migrations'",
    )
    .pluck()
    .all() as string[];
  const columns = tables.flatMap((table) =>
    (sqlite.$client.pragma(`table_info("${table}")`) as { name: string; notnull: number; pk: number }[]).map((c) => ({
      table,
      column: c.name,
      // A SQLite primary key may hold NULL unless it says otherwise; a PostgreSQL one never does.
      notNull: c.notnull === 1 || c.pk > 0,
    })),
  );
  await closeDb(sqlite);
  return columns.sort(byName);
}

function byName(a: Column, b: Column) {
  return a.table.localeCompare(b.table) || a.column.localeCompare(b.column);
}

describe.skipIf(skip)("on PostgreSQL", () => {
  let cluster: PostgresCluster;
  let client: pg.Client;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    await migrate(drizzle(client), { migrationsFolder: "db/migrations-pg" });
  }, 60_000);

  afterAll(async () => {
    await client?.end();
    await cluster?.stop();
  });

  test("the migrations make the same tables and columns as SQLite's, NOT NULL where SQLite's are", async () => {
    const { rows } = await client.query<{ table: string; column: string; not_null: boolean }>(
      `select table_name as table, column_name as column, is_nullable = 'NO' as not_null
       from information_schema.columns where table_schema = 'public'`,
    );
    expect(rows.length).toBeGreaterThan(200);
    expect(rows.map((r) => ({ table: r.table, column: r.column, notNull: r.not_null })).sort(byName)).toEqual(
      await sqliteColumns(),
    );
  });

  test("the pledge history and audit log are append-only, consent wordings and records never rewritten", async () => {
    const refused = async (statement: string) => {
      await client.query("savepoint s");
      try {
        await client.query(statement);
        return "allowed";
      } catch (error) {
        return (error as Error).message;
      } finally {
        await client.query("rollback to savepoint s");
      }
    };
    await client.query("begin");
    try {
      await client.query(
        `insert into audit_log (actor, action, subject, details, created_at) values ('Test', 'test', 'x', '{}', '2024-06-01T00:00:00.000Z')`,
      );
      expect(await refused("update audit_log set actor = 'Someone else'")).toBe(
        "audit_log is append-only: rows cannot be updated",
      );
      expect(await refused("delete from audit_log")).toBe("audit_log is append-only: rows cannot be deleted");
      expect(await refused("truncate audit_log")).toBe("audit_log is append-only: rows cannot be deleted");
      expect(await refused("truncate pledge_history cascade")).toBe(
        "pledge_history is append-only: rows cannot be deleted",
      );
      expect(await refused("update consent_texts set wording = 'Something else'")).toBe(
        "consent_texts are versions: add a new one instead of updating",
      );
      // A new version is a new row, as on SQLite.
      expect(await refused("insert into consent_texts (purpose, version, wording) values ('updates', 2, 'New')")).toBe(
        "allowed",
      );
    } finally {
      await client.query("rollback");
    }
  });

  test("the consent wordings are seeded as the ask form's defaults, version 1, as SQLite's migration seeds them", async () => {
    const { rows } = await client.query<{ purpose: string; version: number; wording: string }>(
      "select purpose, version, wording from consent_texts order by purpose",
    );
    expect(Object.fromEntries(rows.map((r) => [r.purpose, r.wording]))).toEqual(defaultConsentWordings);
    expect(rows.every((r) => r.version === 1)).toBe(true);
  });

  test("every table tells data_changed listeners of a committed write, once a transaction, and nothing of a rolled-back one", async () => {
    // Every table has the trigger, including any a later migration adds.
    const { rows: missing } = await client.query<{ tablename: string }>(
      `select tablename from pg_tables where schemaname = 'public' and tablename not in (
         select event_object_table from information_schema.triggers where trigger_name = event_object_table || '_data_changed')`,
    );
    expect(missing).toEqual([]);

    const listener = new pg.Client({ connectionString: cluster.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on("notification", (n) => heard.push(`${n.channel}:${n.payload}`));
    await listener.query("listen data_changed");
    try {
      await client.query("begin");
      await client.query("insert into rate_limits (key, window_start, count) values ('a', 'x', 1)");
      await client.query("update rate_limits set count = 2 where key = 'a'");
      await listener.query("select 1");
      expect(heard).toEqual([]); // nothing before the commit
      await client.query("commit");
      await vi.waitFor(() => expect(heard).toEqual(["data_changed:rate_limits"]));

      // A rolled-back write says nothing: the next committed one is all that is heard
      // (notifications come in commit order).
      await client.query("begin");
      await client.query("delete from rate_limits");
      await client.query("rollback");
      await client.query("insert into suppressions (email_hash) values ('k')");
      await vi.waitFor(() => expect(heard).toEqual(["data_changed:rate_limits", "data_changed:suppressions"]));
    } finally {
      await client.query("delete from rate_limits");
      await client.query("delete from suppressions");
      await listener.end();
    }
  });

  test("a row's created_at defaults to now in Date.toISOString()'s form, as on SQLite", async () => {
    const { rows } = await client.query<{ created_at: string }>(
      "insert into app_secrets (name, value) values ('test', 'x') returning created_at",
    );
    const createdAt = rows[0]!.created_at;
    expect(createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(createdAt) - Date.now())).toBeLessThan(60_000);
  });
});
