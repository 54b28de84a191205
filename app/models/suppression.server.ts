// Suppression: people who, when erased, asked never to be signed up for
// campaign updates again by accident. Only a keyed hash of the address is
// kept (emailKeyHash: stable, so a suppression still matches years on), so the
// list names no one to whoever reads the database without the key; the same
// hash names the person in the audit log.
import { eq, sql } from "drizzle-orm";
import { suppressions } from "#db/schema";
import { emailKeyHash } from "~/models/client-hash.server";
import { db } from "~/utils/db.server";

/** Adds the address to the suppression list (again is a no-op). Call inside the erasure's write transaction. */
export function suppressPerson({ email, now }: { email: string; now: Date }) {
  db.insert(suppressions)
    .values({ emailHash: emailKeyHash(email), createdAt: now.toISOString() })
    .onConflictDoNothing()
    .run();
}

function prepareSuppressedQuery() {
  return db
    .select({ emailHash: suppressions.emailHash })
    .from(suppressions)
    .where(eq(suppressions.emailHash, sql.placeholder("emailHash")))
    .prepare();
}
// Every submitted ask asks: prepared once, on first use.
let suppressedQuery: ReturnType<typeof prepareSuppressedQuery> | undefined;

/** Whether the address asked to be kept off campaign updates for good. */
export function isSuppressed({ email }: { email: string }) {
  suppressedQuery ??= prepareSuppressedQuery();
  return suppressedQuery.get({ emailHash: emailKeyHash(email) }) !== undefined;
}
