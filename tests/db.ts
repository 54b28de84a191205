import { asc, eq } from "drizzle-orm";
import { withWriter } from "#db/index";
import { outbox, pledgeHistory } from "#db/schema";
import { db } from "~/utils/db.server";

/** Empties every table but drizzle's migration journal. */
export async function resetDatabase() {
  return withWriter(db, (sqlite) => emptyTables(sqlite));
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
export function snapshotDatabase() {
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
