// The staff console's outbox, audit log and supporter download as a browser
// uses them: who may open each page, what it shows, and that every POST is
// refused unless it comes from the console's own form.
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, outbox, supporterExports } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { loader as auditLoader } from "~/routes/staff.audit";
import { loader as supportersLoader } from "~/routes/staff.supporters";
import { action as supportersAction, loader as supportersCsvLoader } from "~/routes/staff.supporters[.]csv";
import { action as messageAction, loader as messageLoader } from "~/routes/staff.outbox.$id";
import { loader as outboxLoader } from "~/routes/staff.outbox._index";
import { db } from "~/utils/db.server";
import { generateToken } from "~/utils/tokens.server";
import {
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertFailedMail,
  insertQueuedMail,
} from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";
import { DAY, HOUR, MINUTE } from "../time";

const base = "http://localhost";
const start = new Date("2024-06-10T12:00:00.000Z");
const later = (ms: number) => new Date(start.getTime() + ms);

type Page<T> = { data: T; init: { status?: number; headers: Record<string, string> } };

async function queueMail(overrides: Parameters<typeof insertQueuedMail>[0] = {}) {
  return insertQueuedMail({ now: start, ...overrides });
}

async function failedMail(overrides: Parameters<typeof insertFailedMail>[0] = {}) {
  return insertFailedMail({ now: start, ...overrides });
}

async function mailRow(id: number) {
  return (await db.select().from(outbox).where(eq(outbox.id, id)).limit(1))[0]!;
}

/** The audit log apart from the sign-ins that making each test's sessions records. */
async function audits() {
  return (await db.select().from(auditLog)).filter((a) => a.action !== "staff.sign-in");
}

async function getOutbox(query: string, session?: { cookie: string }) {
  return settle(async () =>
    outboxLoader({ request: staffGet(`${base}/staff/outbox${query}`, session), params: {}, context: {} }),
  );
}

async function getMessage(id: number | string, session?: { cookie: string }, query = "") {
  return settle(async () =>
    messageLoader({
      request: staffGet(`${base}/staff/outbox/${id}${query}`, session),
      params: { id: String(id) },
      context: {},
    }),
  );
}

async function postMessage(
  id: number,
  session: { cookie: string; csrfToken: string } | undefined,
  fields: Record<string, string>,
  options?: Parameters<typeof staffPost>[3],
) {
  return settle(() =>
    messageAction({
      request: staffPost(`${base}/staff/outbox/${id}`, session, fields, options),
      params: { id: String(id) },
      context: {},
    }),
  );
}

function expectRedirectToSignIn(result: unknown, next: string) {
  const response = result as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe(`/staff/sign-in?next=${encodeURIComponent(next)}`);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
}

function expectStatus(result: unknown, status: number) {
  expect(result).toBeInstanceOf(Response);
  expect((result as Response).status).toBe(status);
  expect((result as Response).headers.get("Cache-Control")).toBe("no-store");
}

type OutboxPage = Page<{
  counts: Record<string, number>;
  total: number;
  page: number;
  pageCount: number;
  rows: { id: number; subject: string; status: string; kind: string; createdAt: string }[];
}>;

test("the outbox list sends the signed-out to sign in, and refuses viewers", async () => {
  expectRedirectToSignIn(await getOutbox("?status=failed"), "/staff/outbox?status=failed");
  const viewer = await signedInStaff("viewer");
  expectStatus(await getOutbox("", viewer), 403);
});

test("organisers see the outbox counted by status and listed newest first, never cached", async () => {
  const organiser = await signedInStaff("organiser");
  const failed = await failedMail({ subject: "Bounced" });
  const queued = await queueMail({ now: later(MINUTE), subject: "Waiting" });

  const page = (await getOutbox("", organiser)) as OutboxPage;
  expect(page.init.headers["Cache-Control"]).toBe("no-store");
  expect(page.data.counts).toMatchObject({ failed: 1, queued: 1, sent: 0 });
  expect(page.data.rows.map((r) => [r.id, r.subject, r.status])).toEqual([
    [queued, "Waiting", "queued"],
    [failed, "Bounced", "failed"],
  ]);
  // UK time: 13:01 BST.
  expect(page.data.rows[0]!.createdAt).toBe("10 Jun 2024, 13:01");
});

test("the outbox filters by status, kind and recipient, and pages", async () => {
  const organiser = await signedInStaff("organiser");
  const failed = await failedMail({ kind: "candidate-ask", toAddress: "ada@candidates.example.org" });
  await queueMail({ kind: "candidate-ask" });
  await queueMail({ kind: "ask-confirmation", toAddress: "ada.other@example.net" });

  const byStatus = (await getOutbox("?status=failed", organiser)) as OutboxPage;
  expect(byStatus.data.rows.map((r) => r.id)).toEqual([failed]);
  const byKind = (await getOutbox("?kind=candidate-ask", organiser)) as OutboxPage;
  expect(byKind.data.total).toBe(2);
  const byRecipient = (await getOutbox("?recipient=ADA", organiser)) as OutboxPage;
  expect(byRecipient.data.total).toBe(2);
  const all = (await getOutbox("?kind=candidate-ask&recipient=ada", organiser)) as OutboxPage;
  expect(all.data.rows.map((r) => r.id)).toEqual([failed]);
  // An unknown status is no filter, not an error.
  expect(((await getOutbox("?status=lost", organiser)) as OutboxPage).data.total).toBe(3);

  for (let i = 0; i < 60; i++) await queueMail({ now: later(i * MINUTE) });
  const second = (await getOutbox("?page=2", organiser)) as OutboxPage;
  expect(second.data).toMatchObject({ total: 63, page: 2, pageCount: 2 });
  expect(second.data.rows).toHaveLength(13);
});

test("a filter form's empty fields are dropped from the address", async () => {
  const organiser = await signedInStaff("organiser");
  const response = (await getOutbox("?status=&kind=candidate-ask&recipient=", organiser)) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/staff/outbox?kind=candidate-ask");
  const bare = (await getOutbox("?status=&kind=&recipient=", organiser)) as Response;
  expect(bare.headers.get("Location")).toBe("/staff/outbox");
});

type MessagePage = Page<{
  notice: string | null;
  message: { subject: string; status: string; textBody: string; canRetry: boolean; canCancel: boolean };
}>;

test("a message page sends the signed-out to sign in, refuses viewers, and is a 404 for an unknown id", async () => {
  const id = await queueMail();
  expectRedirectToSignIn(await getMessage(id), `/staff/outbox/${id}`);
  expectStatus(await getMessage(id, await signedInStaff("viewer")), 403);
  const organiser = await signedInStaff("organiser");
  expectStatus(await getMessage(id + 1, organiser), 404);
  expectStatus(await getMessage("nonsense", organiser), 404);
});

test("organisers read a message with its link tokens struck out", async () => {
  const organiser = await signedInStaff("organiser");
  const { token } = generateToken();
  const id = await queueMail({ textBody: `Confirm here: http://localhost:3000/asks/confirm/${token}\n` });

  const page = (await getMessage(id, organiser)) as MessagePage;
  expect(page.init.headers["Cache-Control"]).toBe("no-store");
  expect(page.data.message).toMatchObject({ subject: "Confirm your message", canRetry: false, canCancel: true });
  expect(page.data.message.textBody).not.toContain(token);
  expect(page.data.notice).toBeNull();
});

test("retrying a failed message queues it again, is audited, and comes back to the page with a notice", async () => {
  const organiser = await signedInStaff("organiser");
  const id = await failedMail();
  expect(((await getMessage(id, organiser)) as MessagePage).data.message.canRetry).toBe(true);

  const response = (await postMessage(id, organiser, { intent: "retry" })) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe(`/staff/outbox/${id}?done=retried`);
  expect(await mailRow(id)).toMatchObject({ status: "queued", attempts: 0 });
  expect((await audits()).map((a) => [a.actor, a.action, a.subject])).toEqual([
    [organiser.account.email, "outbox.retry", `outbox:${id}`],
  ]);
  const after = (await getMessage(id, organiser, "?done=retried")) as MessagePage;
  expect(after.data.notice).toMatch(/back in the queue/);

  // A second click finds it queued already: nothing more happens.
  const again = (await postMessage(id, organiser, { intent: "retry" })) as Response;
  expect(again.headers.get("Location")).toBe(`/staff/outbox/${id}?done=unchanged`);
  expect(await audits()).toHaveLength(1);
});

test("cancelling a queued message stops it and is audited", async () => {
  const organiser = await signedInStaff("organiser");
  const id = await queueMail();

  const response = (await postMessage(id, organiser, { intent: "cancel" })) as Response;
  expect(response.headers.get("Location")).toBe(`/staff/outbox/${id}?done=cancelled`);
  expect((await mailRow(id)).status).toBe("cancelled");
  expect((await audits()).map((a) => [a.action, a.subject])).toEqual([["outbox.cancel", `outbox:${id}`]]);
  const after = (await getMessage(id, organiser, "?done=cancelled")) as MessagePage;
  expect(after.data.message).toMatchObject({ status: "cancelled", canCancel: false, canRetry: false });
  expect(after.data.notice).toMatch(/will not be sent/);
});

test("a forged retry or cancel is refused and changes nothing", async () => {
  const organiser = await signedInStaff("organiser");
  const failed = await failedMail();
  const queued = await queueMail();
  const forgeries: Parameters<typeof staffPost>[3][] = [
    { csrf: null },
    { csrf: "not-the-token" },
    { origin: "https://evil.example" },
  ];
  for (const forgery of forgeries) {
    expectStatus(await postMessage(failed, organiser, { intent: "retry" }, forgery), 403);
    expectStatus(await postMessage(queued, organiser, { intent: "cancel" }, forgery), 403);
  }
  expectRedirectToSignIn(await postMessage(failed, undefined, { intent: "retry" }), `/staff/outbox/${failed}`);
  expectStatus(await postMessage(failed, await signedInStaff("viewer"), { intent: "retry" }), 403);
  expect((await mailRow(failed)).status).toBe("failed");
  expect((await mailRow(queued)).status).toBe("queued");
  expect(await audits()).toEqual([]);
});

test("an unknown intent is a bad request, and an unknown message a 404", async () => {
  const organiser = await signedInStaff("organiser");
  const id = await failedMail();
  expectStatus(await postMessage(id, organiser, { intent: "delete" }), 400);
  expectStatus(await postMessage(id + 1, organiser, { intent: "retry" }), 404);
  expect((await mailRow(id)).status).toBe("failed");
});

async function getAudit(query: string, session?: { cookie: string }) {
  return settle(async () =>
    auditLoader({ request: staffGet(`${base}/staff/audit${query}`, session), params: {}, context: {} }),
  );
}

type AuditPage = Page<{
  errors: Record<string, string | undefined>;
  actors: string[];
  actions: string[];
  groups: [string, string][];
  total: number;
  page: number;
  pageCount: number;
  rows: { when: string; actor: string; action: string; subject: string; details: string }[];
}>;

/** A few entries over three days, as staff would have made them. */
async function someAuditEntries() {
  await recordAudit({
    actor: "ola@campaign.example",
    action: "outbox.retry",
    subject: "outbox:7",
    details: { kind: "candidate-ask" },
    now: new Date("2024-06-09T22:30:00.000Z"),
  });
  await recordAudit({
    actor: "kit@campaign.example",
    action: "outbox.cancel",
    subject: "outbox:8",
    details: { kind: "ask-confirmation", from: "queued" },
    now: new Date("2024-06-10T09:00:00.000Z"),
  });
  await recordAudit({
    actor: "kit@campaign.example",
    action: "supporters.export",
    subject: "supporters",
    details: { scope: "all", rows: 3 },
    now: new Date("2024-06-11T09:00:00.000Z"),
  });
}

function whatAndWho(page: AuditPage) {
  return page.data.rows.map((r) => `${r.action} by ${r.actor}`);
}

test("the audit log sends the signed-out to sign in, and refuses viewers", async () => {
  expectRedirectToSignIn(await getAudit("?action=outbox."), "/staff/audit?action=outbox.");
  expectStatus(await getAudit("", await signedInStaff("viewer")), 403);
});

test("organisers read the audit log newest first, in UK time, with compact details, never cached", async () => {
  const organiser = await signedInStaff("organiser");
  await someAuditEntries();

  const page = (await getAudit("?action=outbox.", organiser)) as AuditPage;
  expect(page.init.headers["Cache-Control"]).toBe("no-store");
  expect(page.data.rows).toEqual([
    {
      id: expect.any(Number),
      when: "10 Jun 2024, 10:00",
      actor: "kit@campaign.example",
      action: "outbox.cancel",
      subject: "outbox:8",
      subjectHref: "/staff/outbox/8",
      details: "kind: ask-confirmation, from: queued",
    },
    {
      id: expect.any(Number),
      when: "9 Jun 2024, 23:30",
      actor: "ola@campaign.example",
      action: "outbox.retry",
      subject: "outbox:7",
      subjectHref: "/staff/outbox/7",
      details: "kind: candidate-ask",
    },
  ]);
  expect(page.data.actions).toEqual(["outbox.cancel", "outbox.retry", "staff.sign-in", "supporters.export"]);
  expect(page.data.groups).toEqual([
    ["outbox.", "All outbox actions"],
    ["staff.", "All sign-in and staff account actions"],
    ["supporters.", "All supporter downloads"],
  ]);
  expect(page.data.actors).toEqual(["kit@campaign.example", "ola@campaign.example", organiser.account.email]);
});

test("the audit log filters by person, action and London days", async () => {
  const organiser = await signedInStaff("organiser");
  await someAuditEntries();

  const kit = (await getAudit("?actor=kit%40campaign.example", organiser)) as AuditPage;
  expect(whatAndWho(kit)).toEqual([
    "supporters.export by kit@campaign.example",
    "outbox.cancel by kit@campaign.example",
  ]);
  const retries = (await getAudit("?action=outbox.retry", organiser)) as AuditPage;
  expect(whatAndWho(retries)).toEqual(["outbox.retry by ola@campaign.example"]);
  // 22:30 UTC on the 9th is 23:30 on the 9th in London (BST): not on the 10th.
  const tenth = (await getAudit("?from=2024-06-10&to=2024-06-10", organiser)) as AuditPage;
  expect(whatAndWho(tenth)).toEqual(["outbox.cancel by kit@campaign.example"]);
  const ninthOn = (await getAudit("?action=outbox.&from=2024-06-09", organiser)) as AuditPage;
  expect(ninthOn.data.total).toBe(2);
  const untilTenth = (await getAudit("?actor=kit%40campaign.example&to=2024-06-10", organiser)) as AuditPage;
  expect(whatAndWho(untilTenth)).toEqual(["outbox.cancel by kit@campaign.example"]);
});

test("a date that is not a real one shows an error on the filter form, not a server error", async () => {
  const organiser = await signedInStaff("organiser");
  await someAuditEntries();

  const bad = (await getAudit("?from=2024-02-30&to=yesterday&actor=kit%40campaign.example", organiser)) as AuditPage;
  expect(bad.init.status).toBe(400);
  expect(bad.data.errors).toEqual({
    from: "The ‘from’ date must be a real date, like 2024-06-27",
    to: "The ‘to’ date must be a real date, like 2024-06-27",
  });
  expect(bad.data.rows).toEqual([]);
  // What was typed stays in the form to be corrected.
  expect(bad.data).toMatchObject({ query: { from: "2024-02-30", to: "yesterday", actor: "kit@campaign.example" } });

  const backwards = (await getAudit("?from=2024-06-11&to=2024-06-10", organiser)) as AuditPage;
  expect(backwards.data.errors).toEqual({ to: "The ‘to’ date must be the same as or after the ‘from’ date" });
});

test("the audit log pages, and drops a filter form's empty fields from the address", async () => {
  const organiser = await signedInStaff("organiser");
  const day = new Date("2024-06-10T00:00:00.000Z");
  for (let i = 0; i < 55; i++)
    await recordAudit({
      actor: "kit@campaign.example",
      action: "outbox.retry",
      subject: `outbox:${i}`,
      details: {},
      now: new Date(day.getTime() + i * MINUTE),
    });
  await recordAudit({
    actor: "kit@campaign.example",
    action: "outbox.retry",
    subject: "outbox:old",
    details: {},
    now: new Date(day.getTime() - 2 * DAY + HOUR),
  });

  const second = (await getAudit("?action=outbox.retry&page=2", organiser)) as AuditPage;
  expect(second.data).toMatchObject({ total: 56, page: 2, pageCount: 2 });
  expect(second.data.rows.map((r) => r.subject)).toEqual([
    "outbox:4",
    "outbox:3",
    "outbox:2",
    "outbox:1",
    "outbox:0",
    "outbox:old",
  ]);

  const form = (await getAudit("?actor=&action=outbox.&from=&to=2024-06-10", organiser)) as Response;
  expect(form.headers.get("Location")).toBe("/staff/audit?action=outbox.&to=2024-06-10");
});

test("the download's address, opened rather than posted to (as after signing in again), goes to the form", () => {
  const response = supportersCsvLoader() as unknown as Response;
  expect(response.headers.get("Location")).toBe("/staff/supporters");
  expect(response.headers.get("Cache-Control")).toBe("no-store");
});

async function getSupporters(session?: { cookie: string }, query = "") {
  return settle(async () =>
    supportersLoader({ request: staffGet(`${base}/staff/supporters${query}`, session), params: {}, context: {} }),
  );
}

async function postSupporters(
  session: { cookie: string; csrfToken: string } | undefined,
  fields: Record<string, string>,
  options?: Parameters<typeof staffPost>[3],
) {
  return settle(() =>
    supportersAction({
      request: staffPost(`${base}/staff/supporters.csv`, session, fields, options),
      params: {},
      context: {},
    }),
  );
}

type SupportersPage = Page<{
  errors: Record<string, string | undefined>;
  all: number;
  new: number;
  lastExportAt: string | null;
}>;

/** Two supporters who opted in to updates and one who did not, all confirmed on 20 June 2024. */
async function someSupporters() {
  await insertCampaign();
  const seat = await insertConstituency({ gssCode: "E14009904", name: "Brackenby Vale" });
  const candidacy = await insertCandidacy({ constituency: seat });
  const ask = async (name: string, email: string, wantsUpdates: boolean, hour: number) =>
    insertConfirmedAsk({
      constituencyCode: "E14009904",
      candidacyIds: [candidacy.id],
      name,
      email,
      postcode: "ZZ4 1AA",
      wantsUpdates,
      now: new Date(`2024-06-20T0${hour}:00:00.000Z`),
    });
  await ask("Rajan Nair", "rajan@example.org", true, 1);
  await ask("Bea Carter", "bea@example.org", true, 2);
  await ask("Not Opted", "out@example.org", false, 3);
}

async function exportAudits() {
  return (await audits()).filter((a) => a.action === "supporters.export");
}

test("the supporters page sends the signed-out to sign in, and refuses viewers and organisers", async () => {
  expectRedirectToSignIn(await getSupporters(), "/staff/supporters");
  expectStatus(await getSupporters(await signedInStaff("viewer")), 403);
  expectStatus(await getSupporters(await signedInStaff("organiser")), 403);
  expectStatus(await postSupporters(await signedInStaff("organiser"), { scope: "all" }), 403);
  expect(await db.select().from(supporterExports)).toEqual([]);
});

test("admins see how many supporters opted in and how many are new, never cached", async () => {
  const admin = await signedInStaff("admin");
  await someSupporters();
  const page = (await getSupporters(admin)) as SupportersPage;
  expect(page.init.headers["Cache-Control"]).toBe("no-store");
  expect(page.data).toMatchObject({ all: 2, new: 2, lastExportAt: null });
});

test("downloading returns the CSV itself, uncached, and records and audits the export", async () => {
  const admin = await signedInStaff("admin");
  await someSupporters();

  const response = (await postSupporters(admin, { scope: "all" })) as Response;
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(
    /^attachment; filename="supporters-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  const lines = (await response.text()).trim().split("\r\n");
  expect(lines[0]).toBe("name,email,postcode,constituency,asked_on,consent_wording,consent_version,consented_at");
  expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["rajan@example.org", "bea@example.org"]);

  expect(await db.select().from(supporterExports)).toEqual([
    expect.objectContaining({ accountId: admin.account.id, scope: "all", rows: 2 }),
  ]);
  expect((await exportAudits()).map((a) => [a.actor, a.details])).toEqual([
    [admin.account.email, { scope: "all", rows: 2 }],
  ]);

  const after = (await getSupporters(admin)) as SupportersPage;
  expect(after.data).toMatchObject({ all: 2, new: 0, lastExportAt: expect.any(String) });
  const fresh = (await postSupporters(admin, { scope: "new" })) as Response;
  expect(fresh.headers.get("Content-Disposition")).toMatch(/filename="supporters-new-/);
  expect((await fresh.text()).trim().split("\r\n")).toHaveLength(1);
});

test("a download without a choice of supporters goes back to the form to say so, and exports nothing", async () => {
  const admin = await signedInStaff("admin");
  await someSupporters();
  await postSupporters(admin, { scope: "all" });

  const response = (await postSupporters(admin, { scope: "everyone" })) as Response;
  expect(response.status).toBe(302);
  expect(response.headers.get("Location")).toBe("/staff/supporters?error=scope");
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  expect(((await postSupporters(admin, {})) as Response).headers.get("Location")).toBe("/staff/supporters?error=scope");
  expect(await db.select().from(supporterExports)).toHaveLength(1);

  const page = (await getSupporters(admin, "?error=scope")) as SupportersPage;
  expect(page.data.errors).toEqual({ scope: "Select which supporters to download" });
  expect(((await getSupporters(admin)) as SupportersPage).data.errors).toEqual({});
});

test("a forged download is refused, and nothing is exported or audited", async () => {
  const admin = await signedInStaff("admin");
  await someSupporters();
  const forgeries: Parameters<typeof staffPost>[3][] = [
    { csrf: null },
    { csrf: "not-the-token" },
    { origin: "https://evil.example" },
  ];
  for (const forgery of forgeries) expectStatus(await postSupporters(admin, { scope: "all" }, forgery), 403);
  expectRedirectToSignIn(await postSupporters(undefined, { scope: "all" }), "/staff/supporters.csv");
  expect(await db.select().from(supporterExports)).toEqual([]);
  expect(await exportAudits()).toEqual([]);
});
