import { fileURLToPath } from "node:url";
import { migrateDb } from "#db/index";
import { summariseChanges } from "~/importers/import.server";
import { loadSampleElectionIfEmpty } from "~/importers/sample.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";

const dataDir = fileURLToPath(new URL("../data", import.meta.url));

export function setUpDatabase() {
  migrateDb(db);
  const loaded = loadSampleElectionIfEmpty({ dir: dataDir });
  if (!loaded) return;
  console.log(`The database ${env.DATABASE_PATH} was empty: loaded the sample election from data/.`);
  for (const result of loaded) console.log(`  ${result.file}: ${summariseChanges(result)}`);
}
