import { writeTransaction } from "#db/index";
import { elections } from "#db/schema";
import { db } from "~/utils/db.server";

/** Creates the election if it is new; an existing one keeps its name. */
export async function ensureElection({ id, date, name, now }: { id: string; date: string; name: string; now: Date }) {
  return writeTransaction(db, async () => {
    const at = now.toISOString();
    await db.insert(elections).values({ id, date, name, createdAt: at, updatedAt: at }).onConflictDoNothing();
  });
}
