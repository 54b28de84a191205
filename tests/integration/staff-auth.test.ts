import { generateTOTP } from "@epic-web/totp";
import { eq } from "drizzle-orm";
import { afterEach, expect, test, vi } from "vitest";
import { auditLog, sendingPause, staffAccounts, staffSessions } from "#db/schema";
import { createStaffAccount, setStaffAccountDisabled } from "~/models/staff.server";
import { action as dashboardAction, loader as dashboardLoader } from "~/routes/staff._index";
import { action as setUpAction, loader as setUpLoader } from "~/routes/staff.set-up.$token";
import { action as signInAction } from "~/routes/staff.sign-in";
import { action as codeAction } from "~/routes/staff.sign-in_.code";
import { action as signOutAction } from "~/routes/staff.sign-out";
import { db } from "~/utils/db.server";
import {
  insertStaffAccount,
  settle,
  signInAs,
  signedInStaff,
  staffGet,
  staffPassword,
  staffPost,
  totpCode,
} from "../staff";
import { HOUR, MINUTE } from "../time";

const base = "http://localhost";
let client = 0;

afterEach(() => {
  vi.useRealTimers();
});

function later(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + ms });
}

async function signIn(email: string, password: string, { ip = `192.0.2.${++client}` } = {}) {
  const request = new Request(`${base}/staff/sign-in?next=/staff/outbox`, {
    method: "POST",
    body: new URLSearchParams({ email, password }),
  });
  return settle(() => signInAction({ request, params: {}, context: { clientIp: ip } }));
}

function cookieOf(response: Response) {
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0]!;
}

async function audits(action: string) {
  return await db.select().from(auditLog).where(eq(auditLog.action, action));
}

async function setUp(token: string, fields: Record<string, string>) {
  const request = new Request(`${base}/staff/set-up/${token}`, { method: "POST", body: new URLSearchParams(fields) });
  return settle(() => setUpAction({ request, params: { token }, context: {} }));
}

test("a new account sets its password, and an admin a second factor, through its one-time link", async () => {
  const { token } = await createStaffAccount({
    email: "Ama@Campaign.example",
    role: "admin",
    actor: "cli",
    now: new Date(),
  });
  const page = await setUpLoader({
    request: new Request(`${base}/staff/set-up/${token}`),
    params: { token },
    context: {},
  });
  const { secret } = (page as { secondFactor: { secret: string } }).secondFactor;
  expect((page as { link: { email: string } }).link.email).toBe("ama@campaign.example");

  const withoutCode = (await setUp(token, {
    password: staffPassword,
    confirmPassword: staffPassword,
    totpSecret: secret,
  })) as {
    data: { errors: Record<string, string> };
  };
  expect(withoutCode.data.errors.code).toMatch(/admins must set one up/);

  const weak = (await setUp(token, {
    password: "password1234",
    confirmPassword: "password1234",
    totpSecret: secret,
  })) as {
    data: { errors: Record<string, string> };
  };
  expect(weak.data.errors.password).toMatch(/harder to guess/);

  const code = await totpCode(secret);
  const done = (await setUp(token, {
    password: staffPassword,
    confirmPassword: staffPassword,
    totpSecret: secret,
    code,
  })) as {
    data: { done: { recoveryCodes: string[] } };
  };
  expect(done.data.done.recoveryCodes).toHaveLength(10);
  const account = (await db.select().from(staffAccounts).limit(1))[0]!;
  expect(account.passwordHash).toMatch(/^\$argon2id\$/);
  expect(account.totpSecret).toBe(secret);

  // The link works once.
  const again = await setUp(token, {
    password: staffPassword,
    confirmPassword: staffPassword,
    totpSecret: secret,
    code,
  });
  expect((again as { init: ResponseInit }).init.status).toBe(404);
  expect(await audits("staff.set-up")).toHaveLength(1);
});

test("a set-up link stops working after 24 hours", async () => {
  const { token } = await createStaffAccount({
    email: "late@campaign.example",
    role: "viewer",
    actor: "cli",
    now: new Date(),
  });
  later(24 * HOUR + MINUTE);
  const page = (await setUpLoader({
    request: new Request(`${base}/staff/set-up/${token}`),
    params: { token },
    context: {},
  })) as {
    data: { link: null };
    init: ResponseInit;
  };
  expect(page.init.status).toBe(404);
  expect(page.data.link).toBeNull();
});

test("a viewer may skip the second factor; a mistyped second password is caught", async () => {
  const { token } = await createStaffAccount({
    email: "v@campaign.example",
    role: "viewer",
    actor: "cli",
    now: new Date(),
  });
  const mismatch = (await setUp(token, { password: staffPassword, confirmPassword: "something else entirely" })) as {
    data: { errors: Record<string, string> };
  };
  expect(mismatch.data.errors.confirmPassword).toBe("Enter the same password twice");
  const done = (await setUp(token, { password: staffPassword, confirmPassword: staffPassword })) as {
    data: { done: { recoveryCodes: string[] } };
  };
  expect(done.data.done.recoveryCodes).toEqual([]);
});

test("signing in sets a signed, httpOnly, SameSite=Strict cookie and goes where the person was going", async () => {
  const account = await insertStaffAccount({ role: "organiser", email: "org@campaign.example" });
  const response = (await signIn("ORG@campaign.example ", staffPassword)) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/staff/outbox");
  const setCookie = response.headers.get("Set-Cookie")!;
  // Path=/: the dashboard's data comes from /staff.data, outside a cookie path of /staff.
  expect(setCookie).toMatch(/^staff_session=[^;]+\.[^;]+; Path=\/; HttpOnly; SameSite=Strict$/);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  expect((await audits("staff.sign-in")).map((a) => [a.actor, a.subject])).toEqual([
    [account.email, `staff:${account.id}`],
  ]);

  const dashboard = (await dashboardLoader({
    request: staffGet(`${base}/staff`, { cookie: cookieOf(response) }),
    params: {},
    context: {},
  })) as {
    data: { canPause: boolean };
  };
  expect(dashboard.data.canPause).toBe(true);
});

test("a wrong password and an unknown email get the same message, and both are audited without the typed address", async () => {
  await insertStaffAccount({ role: "viewer", email: "real@campaign.example" });
  const wrong = (await signIn("real@campaign.example", "not the password at all")) as {
    data: { errors: Record<string, string> };
  };
  const unknown = (await signIn("nobody@campaign.example", staffPassword)) as {
    data: { errors: Record<string, string> };
  };
  expect(wrong.data.errors).toEqual(unknown.data.errors);
  expect(wrong.data.errors.email).toBe("Enter a correct email address and password");
  const failures = await audits("staff.sign-in.failure");
  expect(failures).toHaveLength(2);
  expect(JSON.stringify(failures)).not.toContain("nobody@campaign.example");
  expect(await db.select().from(staffSessions)).toEqual([]);
});

test("sign-in attempts are limited per account, even from many addresses", async () => {
  await insertStaffAccount({ role: "viewer", email: "target@campaign.example" });
  for (let i = 0; i < 10; i++) await signIn("target@campaign.example", "guess number " + i);
  const limited = (await signIn("target@campaign.example", staffPassword)) as {
    data: { errors: Record<string, string> };
    init: ResponseInit;
  };
  expect(limited.init.status).toBe(429);
  expect(limited.data.errors.email).toMatch(/too many attempts/);
  expect(await db.select().from(staffSessions)).toEqual([]);
});

test("sign-in attempts are limited per client address, across accounts", async () => {
  await insertStaffAccount({ role: "viewer", email: "someone@campaign.example" });
  for (let i = 0; i < 30; i++) await signIn(`guess${i}@campaign.example`, "whatever it is", { ip: "198.51.100.7" });
  const limited = (await signIn("someone@campaign.example", staffPassword, { ip: "198.51.100.7" })) as {
    init: ResponseInit;
  };
  expect(limited.init.status).toBe(429);
  const elsewhere = (await signIn("someone@campaign.example", staffPassword, { ip: "198.51.100.8" })) as Response;
  expect(elsewhere.status).toBe(302);
});

test("an account with a second factor is not signed in until its code, and a code works once", async () => {
  const { secret } = await generateTOTP();
  await insertStaffAccount({ role: "admin", email: "admin@campaign.example", totpSecret: secret });
  const first = (await signIn("admin@campaign.example", staffPassword)) as Response;
  expect(first.headers.get("Location")).toBe("/staff/sign-in/code?next=%2Fstaff%2Foutbox");
  const pending = { cookie: cookieOf(first) };
  // Half signed in is signed out, for every page.
  const blocked = (await settle(async () =>
    dashboardLoader({ request: staffGet(`${base}/staff`, pending), params: {}, context: {} }),
  )) as Response;
  expect(blocked.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff");

  const csrfToken = (await db.select().from(staffSessions).limit(1))[0]!.csrfToken;
  const code = await totpCode(secret);
  const request = () => staffPost(`${base}/staff/sign-in/code?next=/staff/outbox`, { ...pending, csrfToken }, { code });
  const done = (await settle(() => codeAction({ request: request(), params: {}, context: {} }))) as Response;
  expect(done.headers.get("Location")).toBe("/staff/outbox");
  // The pending session is gone: its id is worth nothing now.
  expect(await db.select().from(staffSessions)).toHaveLength(1);
  expect(cookieOf(done)).not.toBe(pending.cookie);

  // The same code again, on a new sign-in, is refused.
  const second = (await signIn("admin@campaign.example", staffPassword)) as Response;
  const secondCsrf = (
    await db.select().from(staffSessions).where(eq(staffSessions.secondFactorPending, true)).limit(1)
  )[0]!.csrfToken;
  const replay = (await settle(() =>
    codeAction({
      request: staffPost(`${base}/staff/sign-in/code`, { cookie: cookieOf(second), csrfToken: secondCsrf }, { code }),
      params: {},
      context: {},
    }),
  )) as { data: { errors: Record<string, string> } };
  expect(replay.data.errors.code).toMatch(/not right/);
});

test("a recovery code signs in once", async () => {
  const { token } = await createStaffAccount({
    email: "lost@campaign.example",
    role: "admin",
    actor: "cli",
    now: new Date(),
  });
  const { secret } = await generateTOTP();
  const done = (await setUp(token, {
    password: staffPassword,
    confirmPassword: staffPassword,
    totpSecret: secret,
    code: await totpCode(secret),
  })) as { data: { done: { recoveryCodes: string[] } } };
  const recoveryCode = done.data.done.recoveryCodes[0]!;
  async function tryCode(code: string) {
    const first = (await signIn("lost@campaign.example", staffPassword)) as Response;
    const csrfToken = (
      await db.select().from(staffSessions).where(eq(staffSessions.secondFactorPending, true)).limit(1)
    )[0]!.csrfToken;
    return settle(() =>
      codeAction({
        request: staffPost(`${base}/staff/sign-in/code`, { cookie: cookieOf(first), csrfToken }, { code }),
        params: {},
        context: {},
      }),
    );
  }
  expect(((await tryCode(recoveryCode.toUpperCase())) as Response).status).toBe(302);
  expect(((await tryCode(recoveryCode)) as { init: ResponseInit }).init.status).toBe(400);
});

test("a signed-out visitor is sent to sign in; a viewer is refused an organiser's action with a 403", async () => {
  const signedOut = (await settle(async () =>
    dashboardLoader({ request: staffGet(`${base}/staff`), params: {}, context: {} }),
  )) as Response;
  expect(signedOut.status).toBe(302);
  expect(signedOut.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff");

  const viewer = await signedInStaff("viewer");
  const refused = (await settle(() =>
    dashboardAction({ request: staffPost(`${base}/staff`, viewer, { intent: "pause" }), params: {}, context: {} }),
  )) as Response;
  expect(refused.status).toBe(403);
  expect(await db.select().from(sendingPause)).toEqual([]);
});

test("a staff post without the session's token, or from another origin, changes nothing", async () => {
  const organiser = await signedInStaff("organiser");
  const forged = [
    staffPost(`${base}/staff`, organiser, { intent: "pause" }, { csrf: null }),
    staffPost(`${base}/staff`, organiser, { intent: "pause" }, { csrf: "a".repeat(43) }),
    staffPost(`${base}/staff`, organiser, { intent: "pause" }, { origin: "https://evil.example" }),
  ];
  for (const request of forged) {
    const response = (await settle(() => dashboardAction({ request, params: {}, context: {} }))) as Response;
    expect(response.status).toBe(403);
  }
  expect(await db.select().from(sendingPause)).toEqual([]);
  const real = (await settle(() =>
    dashboardAction({ request: staffPost(`${base}/staff`, organiser, { intent: "pause" }), params: {}, context: {} }),
  )) as Response;
  expect(real.status).toBe(302);
  expect(await db.select().from(sendingPause)).toHaveLength(1);
});

test("a session ends after 12 idle hours, on sign-out, everywhere at once, and when its account is disabled", async () => {
  const organiser = await signedInStaff("organiser");
  const open = (request: Request) => settle(async () => dashboardLoader({ request, params: {}, context: {} }));
  expect(await open(staffGet(`${base}/staff`, organiser))).not.toBeInstanceOf(Response);
  later(12 * HOUR);
  expect(((await open(staffGet(`${base}/staff`, organiser))) as Response).status).toBe(302);
  vi.useRealTimers();

  const other = await signInAs(organiser.account.id);
  const third = await signInAs(organiser.account.id);
  await settle(() =>
    signOutAction({ request: staffPost(`${base}/staff/sign-out`, other, {}), params: {}, context: {} }),
  );
  expect(((await open(staffGet(`${base}/staff`, other))) as Response).status).toBe(302);
  expect(await open(staffGet(`${base}/staff`, third))).not.toBeInstanceOf(Response);

  const fourth = await signInAs(organiser.account.id);
  await settle(() =>
    signOutAction({
      request: staffPost(`${base}/staff/sign-out`, third, { everywhere: "yes" }),
      params: {},
      context: {},
    }),
  );
  expect(((await open(staffGet(`${base}/staff`, fourth))) as Response).status).toBe(302);
  expect(await audits("staff.sign-out")).toHaveLength(1);
  expect(await audits("staff.sign-out-everywhere")).toHaveLength(1);

  const fifth = await signInAs(organiser.account.id);
  await setStaffAccountDisabled({
    accountId: organiser.account.id,
    disabled: true,
    actor: "admin@campaign.example",
    now: new Date(),
  });
  expect(((await open(staffGet(`${base}/staff`, fifth))) as Response).status).toBe(302);
  expect(((await signIn(organiser.account.email, staffPassword)) as { init: ResponseInit }).init.status).toBe(400);
});

test("a cookie whose signature is wrong is no session", async () => {
  const organiser = await signedInStaff("organiser");
  const tampered = { cookie: organiser.cookie.replace(/\.[^.]+$/, ".forged") };
  const response = (await settle(async () =>
    dashboardLoader({ request: staffGet(`${base}/staff`, tampered), params: {}, context: {} }),
  )) as Response;
  expect(response.status).toBe(302);
});
