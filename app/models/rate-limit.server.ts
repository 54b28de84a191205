import { writeTransaction, preparedPerConnection, changedRows } from "#db/index";
import { eq, lt, sql } from "drizzle-orm";
import { rateLimits } from "#db/schema";
import { db } from "~/utils/db.server";
import { HOUR, DAY, MINUTE } from "~/utils/time";
import { RateLimited } from "~/utils/too-many-requests";
import { emailKeyHash } from "~/models/client-hash.server";

// The limits every public form is held to, in one place.
// - Asks: submissions per client address (a burst limit and a sustained one),
//   and mails to one supporter address (confirmation, "already asked", reminders).
// - Signing links: a candidate's inbox gets at most this many requested links
//   an hour, and one client may ask for only so many an hour, whoever they are
//   for (one address once queued 29 links to 10 candidates).
export const rateLimitPolicy = {
  askClientBurst: { limit: 5, windowMs: MINUTE },
  askClientSustained: { limit: 30, windowMs: HOUR },
  askEmailMails: { limit: 3, windowMs: DAY },
  signingLinkPerCandidate: { limit: 3, windowMs: HOUR },
  signingLinkPerClient: { limit: 10, windowMs: HOUR },
  // Staff sign-in: per typed email (whether or not it is an account, so the
  // limit tells nothing) and, separately, per client address; codes per account.
  staffSignInPerAccount: { limit: 10, windowMs: 15 * MINUTE },
  staffSignInPerClient: { limit: 30, windowMs: HOUR },
  staffCodePerAccount: { limit: 10, windowMs: 15 * MINUTE },
  // Corrections to a candidate's page: a reader has one or two; a script, hundreds.
  correctionPerClient: { limit: 5, windowMs: HOUR },
} as const;

/** The key counting mails to one supporter address (its hash, never the address); erasure deletes it. */
export async function askEmailKey(email: string) {
  return `ask-email:${await emailKeyHash(email)}`;
}

function prepareRateLimitQueries() {
  return {
    find: db
      .select({ windowStart: rateLimits.windowStart, count: rateLimits.count })
      .from(rateLimits)
      .where(eq(rateLimits.key, sql.placeholder("key")))
      .prepare(),
    save: db
      .insert(rateLimits)
      .values({
        key: sql.placeholder("key"),
        windowStart: sql.placeholder("windowStart"),
        count: sql.placeholder("count"),
      })
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: { windowStart: sql`excluded.window_start`, count: sql`excluded.count` },
      })
      .prepare(),
  };
}
// Three hits on every submitted ask: prepared once, on first use (otherwise
// drizzle builds a query's SQL, and SQLite compiles it, on every call).
const rateLimitQueries = preparedPerConnection(db, prepareRateLimitQueries);

/**
 * Counts one hit against a fixed window and says whether it is within the
 * limit, and in how many seconds the window reopens. Call inside a write
 * transaction so the read and the increment are one.
 */
export async function hitRateLimit({
  key,
  limit,
  windowMs,
  now,
}: {
  key: string;
  limit: number;
  windowMs: number;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const [row] = await rateLimitQueries().find.execute({ key });
    const fresh = !row || now.getTime() - Date.parse(row.windowStart) >= windowMs;
    const count = fresh ? 1 : row.count + 1;
    const windowStart = fresh ? now.toISOString() : row.windowStart;
    await rateLimitQueries().save.execute({ key, windowStart, count });
    const reopensInMs = Date.parse(windowStart) + windowMs - now.getTime();
    // Rounded up, and never 0: "retry now" would be a lie while the window is shut.
    return { within: count <= limit, retryAfterSeconds: Math.max(1, Math.ceil(reopensInMs / 1000)) };
  });
}

/**
 * Counts one hit against each limit and, if any is over, throws RateLimited
 * with the latest reopening among them: the client must wait for all of them.
 */
export async function enforceRateLimits({
  hits,
  now,
}: {
  hits: { key: string; limit: number; windowMs: number }[];
  now: Date;
}) {
  const over = [];
  for (const hit of hits) {
    const result = await hitRateLimit({ ...hit, now });
    if (!result.within) over.push(result);
  }
  if (over.length > 0) throw new RateLimited(Math.max(...over.map((result) => result.retryAfterSeconds)));
}

/**
 * Forgets windows that began before `before`. The keys are hashed client
 * addresses and emails, so they go once no window could still be open: the
 * caller passes a time at least the longest window ago.
 */
export async function deleteOldRateLimits({ before }: { before: Date }) {
  return writeTransaction(db, async () => {
    return changedRows(await db.delete(rateLimits).where(lt(rateLimits.windowStart, before.toISOString())));
  });
}
