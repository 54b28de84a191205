import { eq } from "drizzle-orm";
import { elections } from "#db/schema";
import { db } from "~/utils/db.server";

export function findElection({ id }: { id: string }) {
  return db
    .select({ id: elections.id, date: elections.date, name: elections.name })
    .from(elections)
    .where(eq(elections.id, id))
    .get();
}

/** Creates the election if it is new; an existing one keeps its name. */
export function ensureElection({ id, date, name, now }: { id: string; date: string; name: string; now: Date }) {
  const at = now.toISOString();
  db.insert(elections)
    .values({ id, date, name, createdAt: at, updatedAt: at })
    .onConflictDoNothing()
    .run();
}
