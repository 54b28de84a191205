// Staff accounts and signed-in requests for route tests: an account made
// straight in the database, a real session row, and the cookie and CSRF token
// a browser would send with it.
import { writeTransaction } from "#db/index";
import { generateTOTP } from "@epic-web/totp";
import type { StaffRole } from "#db/enums";
import { staffAccounts } from "#db/schema";
import { staffSessionCookie } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { createStaffSession, findStaffSession } from "~/models/staff.server";
import { db } from "~/utils/db.server";
import { hashPassword } from "~/utils/password.server";

export const staffPassword = "a long staff passphrase";

let count = 0;

/** An account whose set-up is done: a password, and a TOTP secret if `totpSecret` is given. */
export async function insertStaffAccount({
  role,
  email = `staff${++count}@campaign.example`,
  totpSecret = null,
}: {
  role: StaffRole;
  email?: string;
  totpSecret?: string | null;
}) {
  const at = new Date().toISOString();
  const row = (
    await writeTransaction(db, async () =>
      db
        .insert(staffAccounts)
        .values({
          email,
          role,
          passwordHash: await hashPassword(staffPassword),
          totpSecret,
          createdAt: at,
          updatedAt: at,
        })
        .returning({ id: staffAccounts.id }),
    )
  )[0];
  return { id: row!.id, email, role };
}

/** A signed-in session for the account: its cookie header value and CSRF token. */
export async function signInAs(accountId: number) {
  const sessionId = await createStaffSession({ accountId, secondFactorPending: false, now: new Date() });
  const csrfToken = (await findStaffSession({ sessionId, now: new Date() }))!.csrfToken;
  const cookie = (await staffSessionCookie(sessionId)).split(";")[0]!;
  return { sessionId, cookie, csrfToken };
}

/** A signed-in viewer, organiser or admin. */
export async function signedInStaff(role: StaffRole) {
  const account = await insertStaffAccount({ role });
  return { account, ...(await signInAs(account.id)) };
}

/** A GET as that member of staff (or nobody). */
export function staffGet(url: string, session?: { cookie: string }) {
  return new Request(url, { headers: session ? { Cookie: session.cookie } : {} });
}

/** A staff form POST, carrying the session's CSRF token unless `csrf` says otherwise. */
export function staffPost(
  url: string,
  session: { cookie: string; csrfToken: string } | undefined,
  fields: Record<string, string>,
  { csrf = session?.csrfToken, origin }: { csrf?: string | null; origin?: string } = {},
) {
  const body = new URLSearchParams(fields);
  if (csrf) body.set(csrfField, csrf);
  const headers: Record<string, string> = {};
  if (session) headers.Cookie = session.cookie;
  if (origin) headers.Origin = origin;
  return new Request(url, { method: "POST", body, headers });
}

/** Calls a loader or action and gives back what it returned or threw, as a Response when it is one. */
export async function settle<T>(run: () => T | Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** The current TOTP code for a secret. */
export async function totpCode(secret: string) {
  return (await generateTOTP({ secret, period: 30 })).otp;
}

/** A staff multipart POST with a file in it, as the browser sends a form with encType="multipart/form-data". */
export function staffUpload(
  url: string,
  session: { cookie: string; csrfToken: string } | undefined,
  { file, fields = {} }: { file?: { name: string; contents: string }; fields?: Record<string, string> },
  { csrf = session?.csrfToken, origin }: { csrf?: string | null; origin?: string } = {},
) {
  const body = new FormData();
  // The token comes first, as the page's hidden input does.
  if (csrf) body.set(csrfField, csrf);
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  if (file) body.set("file", new File([file.contents], file.name, { type: "text/csv" }));
  const headers: Record<string, string> = {};
  if (session) headers.Cookie = session.cookie;
  if (origin) headers.Origin = origin;
  return new Request(url, { method: "POST", body, headers });
}
