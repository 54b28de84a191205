// The staff console's side of a request: the session cookie, who may see a
// page, and the checks every staff form passes before it changes anything.
import { timingSafeEqual } from "node:crypto";
import { redirect, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import type { StaffRole } from "#db/enums";
import { findOrCreateAppSecret } from "~/models/app-secret.server";
import { findStaffSession, type StaffSession } from "~/models/staff.server";
import { env } from "~/utils/env.server";
import { paths, withQuery } from "~/utils/paths";
import { staffPageHeaders } from "~/utils/private-page";
import { signValue, verifySignedValue } from "~/utils/signed-value.server";
import { csrfField } from "~/utils/staff-form";
import { hasRole } from "~/utils/staff-roles";

const cookieName = "staff_session";
// Secure whenever the site is served over https; on http://localhost a
// Secure cookie would never come back, so nobody could sign in.
const secure = env.PUBLIC_URL.startsWith("https:");

async function cookieSecret() {
  return findOrCreateAppSecret({ name: "staff-session" });
}

/**
 * The Set-Cookie for a session id: signed (so a guessed value is refused
 * before any query), httpOnly and SameSite=Strict (a link or form from another
 * site never carries it). Path=/, not /staff: with JavaScript on, Remix fetches
 * the dashboard's data from /staff.data, which a cookie for /staff is never
 * sent to (a cookie path must be followed by "/"), so the dashboard would send
 * a signed-in person back to sign in, round and round. No Max-Age: it ends with
 * the browser, and the server ends it after 12 idle hours whatever the browser keeps.
 */
export async function staffSessionCookie(sessionId: string) {
  return [
    `${cookieName}=${signValue({ value: sessionId, secret: await cookieSecret() })}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Strict",
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}

/** The Set-Cookie that removes the session cookie. */
export function clearedStaffSessionCookie() {
  return [`${cookieName}=`, "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=0", ...(secure ? ["Secure"] : [])].join(
    "; ",
  );
}

/** The session id the request's cookie carries, if its signature is right. */
export async function sessionIdOf(request: Request) {
  const header = request.headers.get("Cookie") ?? "";
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name !== cookieName) continue;
    const signed = rest.join("=");
    if (signed) return verifySignedValue({ signed, secret: await cookieSecret() });
  }
  return null;
}

/** The session of the request, full or waiting for its second factor, or null. */
export async function findRequestSession(request: Request) {
  const sessionId = await sessionIdOf(request);
  if (!sessionId) return null;
  const session = await findStaffSession({ sessionId, now: new Date() });
  return session ? { sessionId, ...session } : null;
}

/**
 * The signed-in member of staff, if their role reaches `role`. Signed out (or
 * half signed in): a redirect to sign in, coming back here after. Signed in
 * without the role: a plain 403.
 */
export async function requireStaff(
  request: Request,
  { role }: { role: StaffRole },
): Promise<StaffSession & { sessionId: string }> {
  const session = await findRequestSession(request);
  if (!session || session.secondFactorPending) {
    const url = new URL(request.url);
    throw redirect(withQuery(paths.staffSignIn, { next: url.pathname + url.search }), { headers: staffPageHeaders });
  }
  if (!hasRole({ role: session.account.role, needed: role }))
    throw new Response("Forbidden", { status: 403, headers: staffPageHeaders });
  return session;
}

/**
 * A staff POST's form, once it has shown it comes from our own page: the
 * session's CSRF token in the form, and (when the browser says) our own
 * origin. The server's request guard refuses other origins before Remix
 * runs; this checks again so no route depends on how it is mounted.
 * Anything else is a 403 that changes nothing.
 */
export async function readStaffForm(request: Request, session: { csrfToken: string }) {
  refuseOtherOrigins(request);
  const form = await request.formData();
  refuseWithoutCsrfToken(form, session);
  return form;
}

/**
 * readStaffForm for a multipart form with a file in it: the same two checks,
 * the form parsed by `uploadHandler`. The origin is checked before the body
 * is read; the token once it is, before the caller sees any of it. So the
 * handler must only hold a part (in memory, within its limit), never act on
 * it: a forged post's file is dropped unread.
 */
export async function readStaffUpload(request: Request, session: { csrfToken: string }, uploadHandler: UploadHandler) {
  refuseOtherOrigins(request);
  const form = await unstable_parseMultipartFormData(request, uploadHandler);
  refuseWithoutCsrfToken(form, session);
  return form;
}

function refuseOtherOrigins(request: Request) {
  const origin = request.headers.get("Origin");
  if (origin !== null && origin !== env.PUBLIC_URL && origin !== new URL(request.url).origin)
    throw new Response("Forbidden", { status: 403, headers: staffPageHeaders });
}

function refuseWithoutCsrfToken(form: FormData, session: { csrfToken: string }) {
  const given = form.get(csrfField);
  if (typeof given !== "string" || !sameText(given, session.csrfToken))
    throw new Response("Forbidden", { status: 403, headers: staffPageHeaders });
}

function sameText(a: string, b: string) {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Where to go after signing in: only a path inside the console, never another site. */
export function safeNextPath(next: string | null) {
  if (next && next.startsWith(`${paths.staff}/`) && !next.startsWith("//") && !next.includes("\\")) return next;
  return paths.staff;
}
