// node --import tsx tests/e2e/seed-fixture-election.ts, with DATABASE_PATH (or
// DATABASE_URL=postgres://…) set to a new database: migrates it and loads the tests' own election
// (tests/fixtures/election) through the same loader `npm start` uses for
// data/, so the server then finds an election and a campaign and loads nothing.
import { closeDb, migrateDb } from "#db/index";
import { loadSampleElectionIfEmpty } from "~/importers/sample.server";
import { db } from "~/utils/db.server";
import { databaseDescription } from "~/utils/env.server";
import { fixtureElectionDir } from "../fixture-election";

await migrateDb(db);
if (!(await loadSampleElectionIfEmpty({ dir: fixtureElectionDir }))) {
  throw new Error(`${databaseDescription()} is not empty: the fixture election goes only into a new database`);
}
await closeDb(db);
