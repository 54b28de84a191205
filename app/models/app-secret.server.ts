import { writeTransaction, preparedPerConnection, changedRows } from "#db/index";
import { randomBytes } from "node:crypto";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { appSecrets } from "#db/schema";
import { db } from "~/utils/db.server";

const cache = new Map<string, string>();

function prepareSecretQueries() {
  return {
    find: db
      .select({ value: appSecrets.value })
      .from(appSecrets)
      .where(eq(appSecrets.name, sql.placeholder("name")))
      .prepare(),
    create: db
      .insert(appSecrets)
      .values({ name: sql.placeholder("name"), value: sql.placeholder("value"), createdAt: sql.placeholder("at") })
      .onConflictDoNothing()
      .prepare(),
  };
}
// Rotating keys are read on every hash (asks, sign-ins): prepared once, on first use.
const secretQueries = preparedPerConnection(db, prepareSecretQueries);

/**
 * A 256-bit secret kept in the database, made on first use and never held in
 * memory (a rotating key must be gone once its row is). INSERT OR IGNORE then
 * SELECT: two processes racing to make it both end up with the same one.
 */
export async function readOrCreateAppSecret({ name, now }: { name: string; now: Date }): Promise<string> {
  const [found] = await secretQueries().find.execute({ name });
  if (found) return found.value;
  return writeTransaction(db, async () => {
    await secretQueries().create.execute({ name, value: randomBytes(32).toString("base64url"), at: now.toISOString() });
    const [row] = await secretQueries().find.execute({ name });
    if (!row) throw new Error(`The app secret ${name} could not be read back`);
    return row.value;
  });
}

/** As readOrCreateAppSecret, for secrets that never change, remembered after the first read. */
export async function findOrCreateAppSecret({ name }: { name: string }): Promise<string> {
  const cached = cache.get(name);
  if (cached) return cached;
  const value = await readOrCreateAppSecret({ name, now: new Date() });
  cache.set(name, value);
  return value;
}

/**
 * Deletes the secrets named prefix + a suffix that sorts before `before`
 * (rotating keys named by their day), and says how many went.
 */
export async function deleteAppSecretsBefore({ prefix, before }: { prefix: string; before: string }) {
  return writeTransaction(db, async () => {
    return changedRows(
      await db
        .delete(appSecrets)
        // Every name from the bare prefix up to prefix + before starts with the prefix.
        .where(and(gte(appSecrets.name, prefix), lt(appSecrets.name, `${prefix}${before}`))),
    );
  });
}
