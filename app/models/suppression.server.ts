// Suppression: people who, when erased, asked never to be signed up for
// campaign updates again by accident. Only a keyed hash of the address is
// kept, so the list names no one to whoever reads the database without the
// key, and the same hash names the person in the audit log.
import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { suppressions } from "#db/schema";
import { findOrCreateAppSecret } from "~/models/app-secret.server";
import { db } from "~/utils/db.server";

/**
 * HMAC-SHA256 of the lowercased, trimmed email, keyed by a secret of its own.
 * Never rotated: a suppression must still match years on. A plain hash would
 * let anyone holding a list of addresses test each against the file.
 */
export function personKey(email: string) {
  return createHmac("sha256", findOrCreateAppSecret({ name: "person-key" }))
    .update(email.trim().toLowerCase())
    .digest("hex");
}

/** Adds the address to the suppression list (again is a no-op). Call inside the erasure's write transaction. */
export function suppressPerson({ email, now }: { email: string; now: Date }) {
  db.insert(suppressions)
    .values({ emailHash: personKey(email), createdAt: now.toISOString() })
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
  return suppressedQuery.get({ emailHash: personKey(email) }) !== undefined;
}
