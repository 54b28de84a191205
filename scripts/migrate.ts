// npm run db:migrate — applies the committed drizzle-kit migrations.
import { parseCommandLine } from "./command-line";

const usage = `Usage: npm run db:migrate

Applies the migrations that the database has not had yet: db/migrations/ to
the SQLite file at DATABASE_PATH (default var/pledge-tracker.sqlite), or
db/migrations-pg/ to the PostgreSQL database at DATABASE_URL when it is set. Start-up, npm run import
and the other commands do this too.
  -h, --help  show this help`;

async function main() {
  const args = parseCommandLine({ command: "npm run db:migrate", usage, config: {} });
  if ("exitCode" in args) return args.exitCode;
  // Only now the app (which opens the database): help and bad arguments need neither.
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { databaseDescription } = await import("~/utils/env.server");
  await migrateDb(db);
  console.log(`Migrated ${databaseDescription()}.`);
  return 0;
}

process.exitCode = await main();
