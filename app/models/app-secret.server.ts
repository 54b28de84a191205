import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { appSecrets } from "#db/schema";
import { db } from "~/utils/db.server";

const cache = new Map<string, string>();

/**
 * A 256-bit secret kept in the database, made on first use. INSERT OR IGNORE
 * then SELECT: two processes racing to make it both end up with the same one.
 */
export function findOrCreateAppSecret({ name }: { name: string }): string {
  const cached = cache.get(name);
  if (cached) return cached;
  db.insert(appSecrets)
    .values({ name, value: randomBytes(32).toString("base64url"), createdAt: new Date().toISOString() })
    .onConflictDoNothing()
    .run();
  const row = db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name)).get();
  if (!row) throw new Error(`The app secret ${name} could not be read back`);
  cache.set(name, row.value);
  return row.value;
}
