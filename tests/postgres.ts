// The PostgreSQL tests run on a throwaway cluster of Debian's postgresql
// (scripts/postgres-cluster.ts). .ci/run installs it and sets
// REQUIRE_POSTGRES=1, so there they must run (a missing server fails them);
// a clone without it skips them, and says so.
import { findPostgresBin, postgresMissing } from "../scripts/postgres-cluster";

/** Whether to skip `what` (with a line saying why); never when REQUIRE_POSTGRES=1. */
export function skipWithoutPostgres(what: string): boolean {
  if (findPostgresBin() || process.env.REQUIRE_POSTGRES === "1") return false;
  console.warn(`Skipping ${what}: ${postgresMissing}`);
  return true;
}
