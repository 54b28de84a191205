import { elections } from "#db/schema";
import { db } from "~/utils/db.server";

/** Creates the election if it is new; an existing one keeps its name. */
export function ensureElection({ id, date, name, now }: { id: string; date: string; name: string; now: string }) {
  db.insert(elections)
    .values({ id, date, name, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .run();
}
