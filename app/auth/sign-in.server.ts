// Signing in to the staff console: a password, then (for accounts that have
// one) a code from an authenticator app or a recovery code.
import { verifyTOTP } from "@epic-web/totp";
import { writeTransaction } from "#db/index";
import { enforceRateLimits, rateLimitPolicy } from "~/models/rate-limit.server";
import {
  completeSecondFactor,
  createStaffSession,
  findAccountForSignIn,
  findSecondFactor,
  recordSignInFailure,
} from "~/models/staff.server";
import { db } from "~/utils/db.server";
import { hashPassword, verifyPassword } from "~/utils/password.server";
import { clientHash, emailKeyHash } from "~/models/client-hash.server";
import { RateLimited } from "~/utils/too-many-requests";

export const TOTP_PERIOD_SECONDS = 30;

type SignInResult =
  | { outcome: "signed-in" | "second-factor"; sessionId: string }
  | { outcome: "wrong" }
  | { outcome: "rate-limited"; retryAfterSeconds: number };

// Checked when no account matches, so a wrong email takes as long as a wrong
// password and the timing tells nobody which addresses have accounts.
let decoyHash: Promise<string> | undefined;

/** Every attempt counts against the typed email and the client address, before any password is checked. */
async function countAttempt({ keys, now }: { keys: { key: string; limit: number; windowMs: number }[]; now: Date }) {
  try {
    await writeTransaction(db, () => enforceRateLimits({ hits: keys, now }));
    return null;
  } catch (error) {
    if (error instanceof RateLimited) return error.retryAfterSeconds;
    throw error;
  }
}

export async function signInWithPassword({
  email,
  password,
  clientIp,
  now,
}: {
  email: string;
  password: string;
  clientIp: string;
  now: Date;
}): Promise<SignInResult> {
  const account = await findAccountForSignIn({ email });
  const retryAfterSeconds = await countAttempt({
    keys: [
      {
        key: `staff-sign-in:account:${await emailKeyHash(email.trim().toLowerCase())}`,
        ...rateLimitPolicy.staffSignInPerAccount,
      },
      {
        key: `staff-sign-in:client:${await clientHash({ value: clientIp, now })}`,
        ...rateLimitPolicy.staffSignInPerClient,
      },
    ],
    now,
  });
  if (retryAfterSeconds !== null) {
    await writeTransaction(db, async () =>
      recordSignInFailure({ accountId: account?.id ?? null, reason: "rate-limited", now }),
    );
    return { outcome: "rate-limited", retryAfterSeconds };
  }
  decoyHash ??= hashPassword("a decoy no account has");
  const passwordHash = account?.passwordHash ?? (await decoyHash);
  const right = (await verifyPassword({ passwordHash, password })) && account?.passwordHash != null;
  if (!account || !right) {
    await writeTransaction(db, async () =>
      recordSignInFailure({ accountId: account?.id ?? null, reason: "password", now }),
    );
    return { outcome: "wrong" };
  }
  // An admin always has a second factor: set-up insists on one.
  const secondFactorPending = account.totpSecret !== null;
  const sessionId = await createStaffSession({ accountId: account.id, secondFactorPending, now });
  return { outcome: secondFactorPending ? "second-factor" : "signed-in", sessionId };
}

/** The TOTP time step a code belongs to, if it is right for the secret now (one step either side). */
export async function totpStepOf({ code, secret, now }: { code: string; secret: string; now: Date }) {
  const match = await verifyTOTP({ otp: code, secret, period: TOTP_PERIOD_SECONDS, window: 1 });
  if (!match) return null;
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS) + match.delta;
}

export async function signInWithSecondFactor({
  sessionId,
  accountId,
  code,
  now,
}: {
  sessionId: string;
  accountId: number;
  code: string;
  now: Date;
}): Promise<SignInResult> {
  const retryAfterSeconds = await countAttempt({
    keys: [{ key: `staff-code:account:${accountId}`, ...rateLimitPolicy.staffCodePerAccount }],
    now,
  });
  if (retryAfterSeconds !== null) {
    await writeTransaction(db, async () => recordSignInFailure({ accountId, reason: "rate-limited", now }));
    return { outcome: "rate-limited", retryAfterSeconds };
  }
  const factor = await findSecondFactor({ accountId });
  const typed = code.replace(/\s+/g, "");
  let newSessionId: string | null = null;
  if (factor?.totpSecret && /^\d{6}$/.test(typed)) {
    const step = await totpStepOf({ code: typed, secret: factor.totpSecret, now });
    if (step !== null)
      newSessionId = await completeSecondFactor({ sessionId, accountId, proof: { totpStep: step }, now });
  } else if (typed !== "") {
    newSessionId = await completeSecondFactor({ sessionId, accountId, proof: { recoveryCode: typed }, now });
  }
  if (newSessionId === null) {
    await writeTransaction(db, async () => recordSignInFailure({ accountId, reason: "second-factor", now }));
    return { outcome: "wrong" };
  }
  return { outcome: "signed-in", sessionId: newSessionId };
}
