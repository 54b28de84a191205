// Copies a SQLite campaign into PostgreSQL (issue 14, `npm run db:copy`):
// every table, in an order where each comes after the tables it refers to,
// in one PostgreSQL transaction, from one consistent moment of the SQLite
// file (a read transaction on a connection of its own, so the app may go on
// running). Then each table's count and a checksum of its rows, in key order,
// are compared on both sides; a difference rolls the whole copy back.
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { getTableConfig, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import pg from "pg";
import * as pgSchema from "./schema.pg";

type Kind = "bool" | "json" | "plain";
type TablePlan = { name: string; columns: { name: string; kind: Kind }[]; key: string[]; identity: boolean };
export type TableCopied = { table: string; rows: number; checksum: string };

const pgMigrations = join(dirname(fileURLToPath(import.meta.url)), "migrations-pg");

function kindOf(column: PgColumn): Kind {
  if (column.columnType === "PgBoolean") return "bool";
  if (column.columnType === "PgJson") return "json";
  return "plain";
}

/** Every table of the schema, each after those its foreign keys point to (a table may point to itself). */
export function copyPlan(): TablePlan[] {
  const tables = (Object.values(pgSchema) as unknown[]).filter((t): t is PgTable => is(t, PgTable));
  const configs = new Map(tables.map((t) => [t, getTableConfig(t)]));
  const ordered: PgTable[] = [];
  const visiting = new Set<PgTable>();
  const visit = (table: PgTable) => {
    if (ordered.includes(table)) return;
    if (visiting.has(table))
      throw new Error(`The schema's foreign keys go round in a circle at ${configs.get(table)!.name}`);
    visiting.add(table);
    for (const fk of configs.get(table)!.foreignKeys) {
      const target = fk.reference().foreignTable;
      if (target !== table) visit(target);
    }
    visiting.delete(table);
    ordered.push(table);
  };
  // By name first, so the order is the same on every run.
  for (const table of [...tables].sort((a, b) => configs.get(a)!.name.localeCompare(configs.get(b)!.name)))
    visit(table);
  return ordered.map((table) => {
    const config = configs.get(table)!;
    const key =
      config.primaryKeys[0]?.columns.map((c) => c.name) ?? config.columns.filter((c) => c.primary).map((c) => c.name);
    return {
      name: config.name,
      columns: config.columns.map((c) => ({ name: c.name, kind: kindOf(c) })),
      // A table without a key is ordered by all its columns.
      key: key.length > 0 ? key : config.columns.map((c) => c.name),
      identity: config.columns.some((c) => c.name === "id" && c.generatedIdentity !== undefined),
    };
  });
}

/** Sorted keys, so JSON compares equal however its keys were ordered when written. */
function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonicalJson((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** One row as both engines agree on it: booleans as 0 and 1, JSON parsed with sorted keys. */
function normalise(plan: TablePlan, row: Record<string, unknown>) {
  return plan.columns.map(({ name, kind }) => {
    const value = row[name];
    if (value === null || value === undefined) return null;
    if (kind === "bool") return value === true || value === 1 ? 1 : 0;
    if (kind === "json") return canonicalJson(typeof value === "string" ? JSON.parse(value) : value);
    return value;
  });
}

function checksum(plan: TablePlan, rows: Record<string, unknown>[]) {
  const hash = createHash("sha256");
  for (const row of rows) hash.update(`${JSON.stringify(normalise(plan, row))}\n`);
  return hash.digest("hex");
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const orderBy = (plan: TablePlan) => plan.key.map(quote).join(", ");

/** The value PostgreSQL is sent: SQLite's 0/1 as a boolean; JSON text as it is (json keeps it). */
function toPg(kind: Kind, value: unknown) {
  if (value === null || value === undefined) return null;
  if (kind === "bool") return value === 1 || value === true;
  return value;
}

// PostgreSQL takes at most 65,535 parameters a statement.
const maxParameters = 60_000;

async function insertRows(client: pg.Client, plan: TablePlan, rows: Record<string, unknown>[]) {
  const names = plan.columns.map((c) => quote(c.name)).join(", ");
  const perStatement = Math.max(1, Math.min(1000, Math.floor(maxParameters / plan.columns.length)));
  const insert = (batch: Record<string, unknown>[]) => {
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const placeholders = plan.columns.map((c) => {
        values.push(toPg(c.kind, row[c.name]));
        return `$${values.length}`;
      });
      return `(${placeholders.join(", ")})`;
    });
    return client.query(`insert into ${quote(plan.name)} (${names}) values ${tuples.join(", ")}`, values);
  };
  for (let i = 0; i < rows.length; i += perStatement) {
    const batch = rows.slice(i, i + perStatement);
    await client.query("savepoint batch");
    try {
      await insert(batch);
      await client.query("release savepoint batch");
    } catch (error) {
      // Say which row: the batch again, one row at a time, up to the one PostgreSQL refuses.
      await client.query("rollback to savepoint batch");
      for (const row of batch) {
        try {
          await client.query("savepoint one");
          await insert([row]);
          await client.query("release savepoint one");
        } catch (rowError) {
          const key = plan.key.map((k) => `${k}=${JSON.stringify(row[k])}`).join(", ");
          throw new Error(`${plan.name} (${key}): PostgreSQL refused the row: ${(rowError as Error).message}`);
        }
      }
      throw error;
    }
  }
}

/** Tables that already hold rows, but for the consent wordings PostgreSQL's own migration seeds. */
async function tablesWithRows(client: pg.Client, plans: TablePlan[]) {
  const found: string[] = [];
  for (const plan of plans) {
    if (plan.name === "consent_texts") continue;
    const { rows } = await client.query(`select 1 from ${quote(plan.name)} limit 1`);
    if (rows.length > 0) found.push(plan.name);
  }
  return found;
}

/**
 * Copies the SQLite database at `from` into the PostgreSQL database at `to`,
 * migrating it first. The target must hold no campaign yet. All or nothing:
 * any refusal or mismatch rolls the copy back and throws, naming the table
 * (and the row, where PostgreSQL refused one).
 */
export async function copyToPostgres({
  from,
  to,
  progress = () => {},
}: {
  from: string;
  to: string;
  progress?: (line: string) => void;
}): Promise<TableCopied[]> {
  const sqlite = new Database(from, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: to });
  await client.connect();
  try {
    await migrate(drizzle(client), { migrationsFolder: pgMigrations });
    const plans = copyPlan();
    const occupied = await tablesWithRows(client, plans);
    if (occupied.length > 0) {
      throw new Error(
        `The PostgreSQL database already holds a campaign (rows in ${occupied.join(", ")}): copy into an empty one.`,
      );
    }
    // One moment of the SQLite file for every table: the app may be writing meanwhile.
    sqlite.exec("begin");
    await client.query("begin");
    try {
      // The wordings PostgreSQL's migration seeded give way to the campaign's own, ids and all.
      await client.query("delete from consent_texts");
      const copied: TableCopied[] = [];
      for (const plan of plans) {
        const rows = sqlite.prepare(`select * from ${quote(plan.name)} order by ${orderBy(plan)}`).all() as Record<
          string,
          unknown
        >[];
        await insertRows(client, plan, rows);
        if (plan.identity) {
          // Numbering goes on after the copied ids.
          await client.query(
            `select setval(pg_get_serial_sequence($1, 'id'), coalesce(max(id), 1), max(id) is not null) from ${quote(plan.name)}`,
            [quote(plan.name)],
          );
        }
        const { rows: back } = await client.query(`select * from ${quote(plan.name)} order by ${orderBy(plan)}`);
        const here = { table: plan.name, rows: rows.length, checksum: checksum(plan, rows) };
        const there = { rows: back.length, checksum: checksum(plan, back as Record<string, unknown>[]) };
        if (there.rows !== here.rows || there.checksum !== here.checksum) {
          throw new Error(
            `${plan.name}: PostgreSQL holds ${there.rows} rows (checksum ${there.checksum.slice(0, 12)}) where SQLite has ${here.rows} (${here.checksum.slice(0, 12)})`,
          );
        }
        copied.push(here);
        progress(
          `${plan.name}: ${here.rows.toLocaleString("en-GB")} rows, checksum ${here.checksum.slice(0, 12)}, the same on both`,
        );
      }
      await client.query("commit");
      return copied;
    } catch (error) {
      await client.query("rollback");
      throw error;
    } finally {
      sqlite.exec("rollback");
    }
  } finally {
    await client.end();
    sqlite.close();
  }
}
