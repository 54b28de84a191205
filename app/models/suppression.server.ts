// Suppression: people who, when erased, asked never to be signed up for
// campaign updates again by accident. Only a keyed hash of the address is
// kept (emailKeyHash: stable, so a suppression still matches years on), so the
// list names no one to whoever reads the database without the key; the same
// hash names the person in the audit log.
import { writeTransaction, preparedPerConnection } from "#db/index";
import { eq, sql } from "drizzle-orm";
import { suppressions } from "#db/schema";
import { emailKeyHash } from "~/models/client-hash.server";
import { db } from "~/utils/db.server";

/** Adds the address to the suppression list (again is a no-op). Call inside the erasure's write transaction. */
export async function suppressPerson({ email, now }: { email: string; now: Date }) {
  return writeTransaction(db, async () => {
    await db
      .insert(suppressions)
      .values({ emailHash: await emailKeyHash(email), createdAt: now.toISOString() })
      .onConflictDoNothing();
  });
}

function prepareSuppressedQuery() {
  return db
    .select({ emailHash: suppressions.emailHash })
    .from(suppressions)
    .where(eq(suppressions.emailHash, sql.placeholder("emailHash")))
    .prepare();
}
// Every submitted ask asks: prepared once, on first use.
const suppressedQuery = preparedPerConnection(db, prepareSuppressedQuery);

/** Whether the address asked to be kept off campaign updates for good. */
export async function isSuppressed({ email }: { email: string }) {
  const found = await suppressedQuery().execute({ emailHash: await emailKeyHash(email) });
  return found.length > 0;
}
