// Staff accounts, their one-time set-up links, recovery codes and sessions.
// Only hashes of secrets are stored: a leaked database signs nobody in.
import { randomBytes } from "node:crypto";
import { and, asc, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { StaffRole } from "#db/enums";
import { staffAccounts, staffRecoveryCodes, staffSessions, staffSetupLinks } from "#db/schema";
import { writeTransaction, changedRows } from "#db/index";
import { recordAudit } from "~/models/audit.server";
import { db } from "~/utils/db.server";
import { HOUR, MINUTE } from "~/utils/time";
import { generateToken, hashToken, sha256Hex } from "~/utils/tokens.server";

/** A set-up link works this long, once. */
export const SET_UP_LINK_LIFETIME_MS = 24 * HOUR;
/** A session nobody has used for this long has ended. */
export const SESSION_IDLE_MS = 12 * HOUR;
// lastSeenAt is written at most this often, so reading pages is not a write each time.
const TOUCH_EVERY_MS = MINUTE;
const RECOVERY_CODE_COUNT = 10;

export type StaffAccount = {
  id: number;
  email: string;
  role: StaffRole;
  hasSecondFactor: boolean;
};

export class StaffAccountExists extends Error {
  constructor(email: string) {
    super(`A staff account for ${email} already exists`);
  }
}

/** A new account with no password, and the one-time link where its owner sets one. */
export async function createStaffAccount({
  email,
  role,
  actor,
  now,
}: {
  email: string;
  role: StaffRole;
  actor: string;
  now: Date;
}) {
  const normalised = email.trim().toLowerCase();
  return writeTransaction(db, async () => {
    const existing = (
      await db.select({ id: staffAccounts.id }).from(staffAccounts).where(eq(staffAccounts.email, normalised)).limit(1)
    )[0];
    if (existing) throw new StaffAccountExists(normalised);
    const at = now.toISOString();
    const account = (
      await db
        .insert(staffAccounts)
        .values({ email: normalised, role, createdAt: at, updatedAt: at })
        .returning({ id: staffAccounts.id })
    )[0]!;
    const token = await insertSetUpLink({ accountId: account.id, now });
    await recordAudit({ actor, action: "staff.add", subject: `staff:${account.id}`, details: { role }, now });
    return { accountId: account.id, token };
  });
}

/**
 * A fresh set-up link for an existing account (a forgotten password or a lost
 * authenticator): earlier unused links stop working, and so do its sessions
 * once the new password is set.
 */
export async function issueSetUpLink({ accountId, actor, now }: { accountId: number; actor: string; now: Date }) {
  return writeTransaction(db, async () => {
    await db
      .update(staffSetupLinks)
      .set({ usedAt: now.toISOString() })
      .where(and(eq(staffSetupLinks.accountId, accountId), isNull(staffSetupLinks.usedAt)));
    const token = await insertSetUpLink({ accountId, now });
    await recordAudit({ actor, action: "staff.set-up-link", subject: `staff:${accountId}`, details: {}, now });
    return token;
  });
}

async function insertSetUpLink({ accountId, now }: { accountId: number; now: Date }) {
  return writeTransaction(db, async () => {
    const { token, hash } = generateToken();
    await db.insert(staffSetupLinks).values({
      accountId,
      tokenHash: hash,
      expiresAt: new Date(now.getTime() + SET_UP_LINK_LIFETIME_MS).toISOString(),
      createdAt: now.toISOString(),
    });
    return token;
  });
}

/** The account a set-up link is for, while the link is unused, unexpired and the account enabled. */
export async function findSetUpLink({ token, now }: { token: string; now: Date }) {
  return (
    (
      await db
        .select({
          linkId: staffSetupLinks.id,
          accountId: staffAccounts.id,
          email: staffAccounts.email,
          role: staffAccounts.role,
        })
        .from(staffSetupLinks)
        .innerJoin(staffAccounts, eq(staffAccounts.id, staffSetupLinks.accountId))
        .where(
          and(
            eq(staffSetupLinks.tokenHash, hashToken(token)),
            isNull(staffSetupLinks.usedAt),
            gt(staffSetupLinks.expiresAt, now.toISOString()),
            isNull(staffAccounts.disabledAt),
          ),
        )
        .limit(1)
    )[0] ?? null
  );
}

/**
 * Uses a set-up link: sets the password (already hashed) and the second
 * factor (or none), signs out every session of the account and replaces its
 * recovery codes. Returns the new recovery codes, to show once, or null if
 * the link was used or expired meanwhile.
 */
export async function completeSetUp({
  token,
  passwordHash,
  totp,
  now,
}: {
  token: string;
  passwordHash: string;
  totp: { secret: string; step: number } | null;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const link = await findSetUpLink({ token, now });
    if (!link) return null;
    const at = now.toISOString();
    await db.update(staffSetupLinks).set({ usedAt: at }).where(eq(staffSetupLinks.id, link.linkId));
    await db
      .update(staffAccounts)
      .set({ passwordHash, totpSecret: totp?.secret ?? null, totpLastStep: totp?.step ?? null, updatedAt: at })
      .where(eq(staffAccounts.id, link.accountId));
    await db.delete(staffSessions).where(eq(staffSessions.accountId, link.accountId));
    await db.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.accountId, link.accountId));
    const codes = totp ? Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode) : [];
    for (const code of codes)
      await db
        .insert(staffRecoveryCodes)
        .values({ accountId: link.accountId, codeHash: hashRecoveryCode(code), createdAt: at });
    await recordAudit({
      actor: link.email,
      action: "staff.set-up",
      subject: `staff:${link.accountId}`,
      details: { secondFactor: totp !== null },
      now,
    });
    return { email: link.email, recoveryCodes: codes };
  });
}

// Ten characters from an alphabet without look-alikes (no 0/O, 1/l/I), in
// two groups of five: easy to copy onto paper, 50 bits each.
const recoveryAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
function newRecoveryCode() {
  const chars = [...randomBytes(10)].map((byte) => recoveryAlphabet[byte % recoveryAlphabet.length]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

function hashRecoveryCode(code: string) {
  return sha256Hex(code.toLowerCase().replace(/[^a-z0-9]/g, ""));
}

/** What sign-in needs to check a password: null for an unknown, disabled or unset account. */
export async function findAccountForSignIn({ email }: { email: string }) {
  return (
    (
      await db
        .select({
          id: staffAccounts.id,
          email: staffAccounts.email,
          role: staffAccounts.role,
          passwordHash: staffAccounts.passwordHash,
          totpSecret: staffAccounts.totpSecret,
          totpLastStep: staffAccounts.totpLastStep,
        })
        .from(staffAccounts)
        .where(and(eq(staffAccounts.email, email.trim().toLowerCase()), isNull(staffAccounts.disabledAt)))
        .limit(1)
    )[0] ?? null
  );
}

/** Records a failed sign-in; `accountId` is null when no such account exists. */
export async function recordSignInFailure({
  accountId,
  reason,
  now,
}: {
  accountId: number | null;
  reason: "password" | "second-factor" | "rate-limited";
  now: Date;
}) {
  // The actor is never the typed email: it may be anyone's address, typed by mistake.
  await recordAudit({
    actor: "anonymous",
    action: "staff.sign-in.failure",
    subject: accountId === null ? "staff:unknown" : `staff:${accountId}`,
    details: { reason },
    now,
  });
}

/**
 * A new session. With `secondFactorPending` it only lets the person enter
 * their code; `completeSecondFactor` swaps it for a full one.
 */
export async function createStaffSession({
  accountId,
  secondFactorPending,
  now,
}: {
  accountId: number;
  secondFactorPending: boolean;
  now: Date;
}) {
  return writeTransaction(db, async () => insertSession({ accountId, secondFactorPending, now }));
}

async function insertSession({
  accountId,
  secondFactorPending,
  now,
}: {
  accountId: number;
  secondFactorPending: boolean;
  now: Date;
}) {
  return writeTransaction(db, async () => {
    const { token: sessionId, hash } = generateToken();
    const at = now.toISOString();
    await db.insert(staffSessions).values({
      idHash: hash,
      accountId,
      csrfToken: randomBytes(32).toString("base64url"),
      secondFactorPending,
      createdAt: at,
      lastSeenAt: at,
    });
    if (!secondFactorPending) {
      await db.update(staffAccounts).set({ lastSignInAt: at }).where(eq(staffAccounts.id, accountId));
      const email = (
        await db
          .select({ email: staffAccounts.email })
          .from(staffAccounts)
          .where(eq(staffAccounts.id, accountId))
          .limit(1)
      )[0]!.email;
      await recordAudit({ actor: email, action: "staff.sign-in", subject: `staff:${accountId}`, details: {}, now });
    }
    return sessionId;
  });
}

export type StaffSession = {
  account: StaffAccount;
  csrfToken: string;
  secondFactorPending: boolean;
};

/** The live session with this id, touched; null if unknown, idle too long or its account disabled. */
export async function findStaffSession({
  sessionId,
  now,
}: {
  sessionId: string;
  now: Date;
}): Promise<StaffSession | null> {
  return writeTransaction(db, async () => {
    const idHash = hashToken(sessionId);
    const row = (
      await db
        .select({
          id: staffAccounts.id,
          email: staffAccounts.email,
          role: staffAccounts.role,
          totpSecret: staffAccounts.totpSecret,
          csrfToken: staffSessions.csrfToken,
          secondFactorPending: staffSessions.secondFactorPending,
          lastSeenAt: staffSessions.lastSeenAt,
        })
        .from(staffSessions)
        .innerJoin(staffAccounts, eq(staffAccounts.id, staffSessions.accountId))
        .where(and(eq(staffSessions.idHash, idHash), isNull(staffAccounts.disabledAt)))
        .limit(1)
    )[0];
    if (!row) return null;
    const idle = now.getTime() - Date.parse(row.lastSeenAt);
    if (idle >= SESSION_IDLE_MS) return null;
    if (idle >= TOUCH_EVERY_MS)
      await db.update(staffSessions).set({ lastSeenAt: now.toISOString() }).where(eq(staffSessions.idHash, idHash));
    return {
      account: { id: row.id, email: row.email, role: row.role, hasSecondFactor: row.totpSecret !== null },
      csrfToken: row.csrfToken,
      secondFactorPending: row.secondFactorPending,
    };
  });
}

/** The secret and last used step of the account a half-finished sign-in is for. */
export async function findSecondFactor({ accountId }: { accountId: number }) {
  return (
    (
      await db
        .select({ totpSecret: staffAccounts.totpSecret, totpLastStep: staffAccounts.totpLastStep })
        .from(staffAccounts)
        .where(eq(staffAccounts.id, accountId))
        .limit(1)
    )[0] ?? null
  );
}

/**
 * Finishes a sign-in with a TOTP code's time step or a recovery code: the
 * pending session is replaced by a new full one (a new id, so an id seen
 * before the second factor is worth nothing after). Returns the new session
 * id, or null if the step was used already or the recovery code is wrong.
 */
export async function completeSecondFactor({
  sessionId,
  accountId,
  proof,
  now,
}: {
  sessionId: string;
  accountId: number;
  proof: { totpStep: number } | { recoveryCode: string };
  now: Date;
}) {
  return writeTransaction(db, async () => {
    if ("totpStep" in proof) {
      // Each code once: a step at or before the last one accepted is refused.
      const updated = await db
        .update(staffAccounts)
        .set({ totpLastStep: proof.totpStep })
        .where(and(eq(staffAccounts.id, accountId), orNullBelow(proof.totpStep)));
      if (changedRows(updated) === 0) return null;
    } else {
      const used = await db
        .update(staffRecoveryCodes)
        .set({ usedAt: now.toISOString() })
        .where(
          and(
            eq(staffRecoveryCodes.accountId, accountId),
            eq(staffRecoveryCodes.codeHash, hashRecoveryCode(proof.recoveryCode)),
            isNull(staffRecoveryCodes.usedAt),
          ),
        );
      if (changedRows(used) === 0) return null;
    }
    await db.delete(staffSessions).where(eq(staffSessions.idHash, hashToken(sessionId)));
    return insertSession({ accountId, secondFactorPending: false, now });
  });
}

function orNullBelow(step: number) {
  return or(isNull(staffAccounts.totpLastStep), lt(staffAccounts.totpLastStep, step));
}

/** Signs out one session, or (`everywhere`) every session of its account. */
export async function signOutStaff({
  sessionId,
  everywhere,
  now,
}: {
  sessionId: string;
  everywhere: boolean;
  now: Date;
}) {
  await writeTransaction(db, async () => {
    const session = (
      await db
        .select({ accountId: staffSessions.accountId, email: staffAccounts.email })
        .from(staffSessions)
        .innerJoin(staffAccounts, eq(staffAccounts.id, staffSessions.accountId))
        .where(eq(staffSessions.idHash, hashToken(sessionId)))
        .limit(1)
    )[0];
    if (!session) return;
    await db
      .delete(staffSessions)
      .where(
        everywhere ? eq(staffSessions.accountId, session.accountId) : eq(staffSessions.idHash, hashToken(sessionId)),
      );
    await recordAudit({
      actor: session.email,
      action: everywhere ? "staff.sign-out-everywhere" : "staff.sign-out",
      subject: `staff:${session.accountId}`,
      details: {},
      now,
    });
  });
}

/** Every account, for admins. */
export async function listStaffAccounts() {
  return (
    await db
      .select({
        id: staffAccounts.id,
        email: staffAccounts.email,
        role: staffAccounts.role,
        hasPassword: staffAccounts.passwordHash,
        totpSecret: staffAccounts.totpSecret,
        disabledAt: staffAccounts.disabledAt,
        lastSignInAt: staffAccounts.lastSignInAt,
      })
      .from(staffAccounts)
      .orderBy(asc(staffAccounts.email))
  ).map(({ hasPassword, totpSecret, ...account }) => ({
    ...account,
    hasPassword: hasPassword !== null,
    hasSecondFactor: totpSecret !== null,
  }));
}

/** Disables an account and ends its sessions at once; `enable` turns it back on. */
export async function setStaffAccountDisabled({
  accountId,
  disabled,
  actor,
  now,
}: {
  accountId: number;
  disabled: boolean;
  actor: string;
  now: Date;
}) {
  await writeTransaction(db, async () => {
    const at = now.toISOString();
    const changed = await db
      .update(staffAccounts)
      .set({ disabledAt: disabled ? at : null, updatedAt: at })
      .where(eq(staffAccounts.id, accountId));
    if (changedRows(changed) === 0) return;
    if (disabled) await db.delete(staffSessions).where(eq(staffSessions.accountId, accountId));
    await recordAudit({
      actor,
      action: disabled ? "staff.disable" : "staff.enable",
      subject: `staff:${accountId}`,
      details: {},
      now,
    });
  });
}

/** Forgets sessions that ended by being idle. */
export async function deleteIdleStaffSessions({ now }: { now: Date }) {
  return writeTransaction(db, async () => {
    await db
      .delete(staffSessions)
      .where(lt(staffSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS).toISOString()));
  });
}
