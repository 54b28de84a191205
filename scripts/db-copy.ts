// npm run db:copy -- --to postgres://… — copies the SQLite campaign into PostgreSQL.
import { z } from "zod";
import { checkFlags, parseCommandLine } from "./command-line";

const usage = `Usage: npm run db:copy -- --to postgres://USER@HOST:PORT/DATABASE

Copies the campaign in the SQLite database at DATABASE_PATH (default
var/pledge-tracker.sqlite) into an empty PostgreSQL database, migrating it
first: every table in one transaction, from one moment of the SQLite file (the
app may go on running, but what it writes after that moment is not copied).
Each table's row count and a checksum of its rows are then compared on both
sides; any difference, or a row PostgreSQL refuses, rolls the copy back and
says which table (and row).
  --to URL    the PostgreSQL database (postgres:// or postgresql://)
  -h, --help  show this help`;

const argsSchema = z.object({
  to: z
    .string({
      error: "give the PostgreSQL database to copy into, e.g. --to postgres://campaign@127.0.0.1:5432/campaign",
    })
    .regex(/^postgres(ql)?:\/\//, "give a postgres:// or postgresql:// address"),
});

async function main() {
  const command = parseCommandLine({
    command: "npm run db:copy",
    usage,
    config: { options: { to: { type: "string" } } },
  });
  if ("exitCode" in command) return command.exitCode;
  const checked = checkFlags({ schema: argsSchema, values: command.values, usage });
  if ("exitCode" in checked) return checked.exitCode;
  if (process.env.DATABASE_URL) {
    console.error(
      "npm run db:copy: copies from the SQLite file at DATABASE_PATH, but DATABASE_URL is set, so this app runs on PostgreSQL already. Unset DATABASE_URL to copy a SQLite campaign.",
    );
    return 1;
  }
  // Only now the app's configuration and the databases: help and bad arguments need neither.
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { env } = await import("~/utils/env.server");
  const { copyToPostgres } = await import("#db/copy-to-postgres");
  await migrateDb(db);
  const target = new URL(checked.values.to);
  // The address as said back never carries the password.
  target.password = "";
  try {
    const copied = await copyToPostgres({
      from: env.DATABASE_PATH,
      to: checked.values.to,
      progress: (line) => console.log(line),
    });
    const rows = copied.reduce((n, t) => n + t.rows, 0);
    console.log(
      `Copied ${env.DATABASE_PATH} into ${target.href}: ${copied.length} tables, ${rows.toLocaleString("en-GB")} rows, each table's count and checksum the same on both.`,
    );
    return 0;
  } catch (error) {
    console.error(`npm run db:copy: nothing was copied. ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
