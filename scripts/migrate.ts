// npm run db:migrate — applies the committed drizzle-kit migrations.
import { migrateDb } from "#db/index";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

migrateDb(db);
console.log(`Migrated ${env.DATABASE_PATH}.`);
