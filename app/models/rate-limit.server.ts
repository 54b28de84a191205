import { eq, lt } from "drizzle-orm";
import { rateLimits } from "#db/schema";
import { db } from "~/utils/db.server";

/**
 * Counts one hit against a fixed window and says whether it is within the
 * limit. Call inside a write transaction so the read and the increment are one.
 */
export function hitRateLimit({ key, limit, windowMs, now }: { key: string; limit: number; windowMs: number; now: Date }) {
  const row = db
    .select({ windowStart: rateLimits.windowStart, count: rateLimits.count })
    .from(rateLimits)
    .where(eq(rateLimits.key, key))
    .get();
  const fresh = !row || now.getTime() - Date.parse(row.windowStart) >= windowMs;
  const count = fresh ? 1 : row.count + 1;
  const windowStart = fresh ? now.toISOString() : row.windowStart;
  db.insert(rateLimits)
    .values({ key, windowStart, count })
    .onConflictDoUpdate({ target: rateLimits.key, set: { windowStart, count } })
    .run();
  return count <= limit;
}

/** Forgets windows that ended long ago. */
export function deleteOldRateLimits({ before }: { before: Date }) {
  db.delete(rateLimits).where(lt(rateLimits.windowStart, before.toISOString())).run();
}
