import { asc, eq, sql } from "drizzle-orm";
import { engineOf, queryRows, withWriter, writeTransaction } from "#db/index";
import { outbox, pledgeHistory } from "#db/schema";
import { db } from "~/utils/db.server";

/** Empties every table but drizzle's migration journal. */
export async function resetDatabase() {
  if (engineOf(db) === "sqlite") return withWriter(db, (sqlite) => emptyTables(sqlite));
  const tables = await publicTables();
  // The append-only tables refuse TRUNCATE by trigger; a replica's session
  // fires no ordinary triggers (the test cluster's user may say so).
  await writeTransaction(db, async () => {
    await queryRows(db, sql`set local session_replication_role = replica`);
    await queryRows(db, sql.raw(`truncate ${tables.map((t) => `"${t}"`).join(", ")}`));
  });
}

async function publicTables() {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.name);
}

function emptyTables(sqlite: typeof db.$client) {
  const tables = sqlite
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name != '__drizzle_migrations'",
    )
    .pluck()
    .all() as string[];
  // The append-only tables refuse DELETE by trigger; set the triggers aside
  // while emptying, and put them back exactly as they were.
  const triggers = sqlite.prepare("select name, sql from sqlite_master where type = 'trigger'").all() as {
    name: string;
    sql: string;
  }[];
  sqlite.pragma("foreign_keys = OFF");
  sqlite.transaction(() => {
    for (const trigger of triggers) sqlite.exec(`drop trigger "${trigger.name}"`);
    for (const table of tables) sqlite.prepare(`delete from "${table}"`).run();
    for (const trigger of triggers) sqlite.exec(trigger.sql);
  })();
  sqlite.pragma("foreign_keys = ON");
}

/** A snapshot of every row in every table, to prove a failed import changed nothing. */
export async function snapshotDatabase() {
  if (engineOf(db) === "postgres") {
    const tables = await publicTables();
    const snapshot: Record<string, unknown[]> = {};
    // Every column in order: a whole row's text sorts the same each time.
    for (const t of tables) snapshot[t] = await queryRows(db, sql.raw(`select * from "${t}" order by "${t}"::text`));
    return snapshot;
  }
  const sqlite = db.$client;
  const tables = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, sqlite.prepare(`select * from "${t}" order by rowid`).all()]));
}

/** The outbox in the order it was queued, of one kind or all. */
export async function outboxRows(kind?: (typeof outbox.$inferSelect)["kind"]) {
  return await db
    .select()
    .from(outbox)
    .where(kind ? eq(outbox.kind, kind) : undefined)
    .orderBy(asc(outbox.id));
}

/** A candidacy's pledge history, oldest first. */
export async function pledgeHistoryOf(candidacyId: number) {
  return await db
    .select()
    .from(pledgeHistory)
    .where(eq(pledgeHistory.candidacyId, candidacyId))
    .orderBy(asc(pledgeHistory.id));
}

/**
 * The environment for a command run on a SQLite file of its own: without
 * DATABASE_URL, which on a run over PostgreSQL would send it there instead.
 */
export function ownSqliteFileEnv(databasePath: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, ...env } = process.env;
  return { ...env, DATABASE_PATH: databasePath };
}
