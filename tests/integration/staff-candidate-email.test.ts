// The console's "Add or correct the email address" form on a candidate's page,
// and what the public page then says: who may use it, that a forged post
// changes nothing, GOV.UK errors, and that a signing link then goes to the
// added address. Also the import page's checkbox that lets a file's address
// replace a staff-added one.
import { writeTransaction } from "#db/index";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, candidacies } from "#db/schema";
import { runImport } from "~/importers/import.server";
import type { ImportSummary } from "~/importers/upload.server";
import { loader as publicLoader } from "~/routes/candidates.$personId";
import { action as candidateAction, loader as candidateLoader } from "~/routes/staff.candidates.$personId";
import { db } from "~/utils/db.server";
import { outboxRows, snapshotDatabase } from "../db";
import {
  buildCandidate,
  buildSeat,
  dcCsv,
  hocCsv,
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  writeInputFile,
} from "../factories";
import { apply, check } from "../imports";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";

const base = "http://localhost";
const tomPage = "https://tomhale.example.org/contact";

/** Tom Hale stands in Brackenby Vale with no published email. */
async function tomWithoutEmail() {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  return insertCandidacy({ constituency: seat, name: "Tom Hale", email: null });
}

function post(
  session: { cookie: string; csrfToken: string } | undefined,
  personId: string,
  fields: Record<string, string>,
  forgery = {},
) {
  return settle(() =>
    candidateAction({
      request: staffPost(`${base}/staff/candidates/${personId}`, session, fields, forgery),
      params: { personId },
      context: {},
    }),
  );
}

const addTom = { intent: "set-email", email: "tom@tomhale.example.org", sourceUrl: tomPage };

type StaffPage = {
  candidacy: { email: string | null };
  emailNotice: string | null;
  emailSource: {
    fromImport: boolean;
    source: string;
    staff?: { sourceUrl: string | null; addedBy: string | null; addedAt: string | null };
  } | null;
};

async function staffPage(session: { cookie: string }, personId: string, query = "") {
  const result = await settle(async () =>
    candidateLoader({
      request: staffGet(`${base}/staff/candidates/${personId}${query}`, session),
      params: { personId },
      context: {},
    }),
  );
  return (result as { data: StaffPage }).data;
}

async function emailAudits() {
  return (await db.select().from(auditLog)).filter((a) => a.action.startsWith("candidate.email"));
}

test("signed out, posting the form sends you to sign in; a viewer gets a 403; neither changes anything", async () => {
  const tom = await tomWithoutEmail();
  const signedOut = (await post(undefined, tom.personId, addTom)) as Response;
  expect(signedOut.headers.get("Location")).toBe(
    `/staff/sign-in?next=${encodeURIComponent(`/staff/candidates/${tom.personId}`)}`,
  );
  const viewer = await signedInStaff("viewer");
  expect(((await post(viewer, tom.personId, addTom)) as Response).status).toBe(403);
  expect(((await post(viewer, tom.personId, { intent: "remove-email", reason: "x" })) as Response).status).toBe(403);
  expect(await db.select({ email: candidacies.email }).from(candidacies)).toEqual([{ email: null }]);
  expect(await emailAudits()).toEqual([]);
});

test("forged posts (no token, a wrong token, another origin) are refused and change nothing", async () => {
  const tom = await tomWithoutEmail();
  const organiser = await signedInStaff("organiser");
  const before = await snapshotDatabase();
  for (const forgery of [{ csrf: null }, { csrf: "x".repeat(43) }, { origin: "https://evil.example" }]) {
    expect(((await post(organiser, tom.personId, addTom, forgery)) as Response).status).toBe(403);
  }
  expect(await snapshotDatabase()).toEqual(before);
});

test("a bad address or page shows GOV.UK errors, keeps what was typed, and saves nothing", async () => {
  const tom = await tomWithoutEmail();
  const organiser = await signedInStaff("organiser");
  const reply = (await post(organiser, tom.personId, {
    intent: "set-email",
    email: "tom at tomhale",
    sourceUrl: "tomhale.example.org",
  })) as unknown as {
    data: { form: string; errors: Record<string, string>; values: Record<string, string> };
    init: ResponseInit;
  };
  expect(reply.init.status).toBe(400);
  expect(reply.data).toEqual({
    form: "set-email",
    errors: {
      email: "Enter an email address in the correct format, like name@example.com",
      sourceUrl: "The page's address must be a web address starting http:// or https://",
    },
    values: { email: "tom at tomhale", sourceUrl: "tomhale.example.org" },
  });
  expect(await db.select({ email: candidacies.email }).from(candidacies)).toEqual([{ email: null }]);
  expect(await emailAudits()).toEqual([]);
});

test("an organiser adds a published address: both pages say where it came from, and a signing link goes to it", async () => {
  const tom = await tomWithoutEmail();
  const organiser = await signedInStaff("organiser");

  const saved = (await post(organiser, tom.personId, addTom)) as Response;

  expect(saved.headers.get("Location")).toBe(`/staff/candidates/${tom.personId}?email=changed#contact-details`);
  const page = await staffPage(organiser, tom.personId, "?email=changed");
  expect(page.candidacy.email).toBe("tom@tomhale.example.org");
  expect(page.emailNotice).toMatch(/^The email address is saved/);
  expect(page.emailSource).toMatchObject({
    fromImport: false,
    source: "staff",
    staff: {
      sourceUrl: tomPage,
      addedBy: organiser.account.email,
      addedAt: expect.stringMatching(/^\d{1,2} \w{3} \d{4}$/),
    },
  });
  expect((await emailAudits()).map((a) => [a.actor, a.action, a.subject, a.details])).toEqual([
    [organiser.account.email, "candidate.email", `candidacy:${tom.id}`, { sourceUrl: tomPage, changed: true }],
  ]);

  // The public page names the page it is published on, never who on the staff added it.
  const publicPage = (await publicLoader({
    request: new Request(`${base}/candidates/${tom.personId}`),
    params: { personId: tom.personId },
    context: {},
  })) as { emailOrigin: unknown };
  expect(publicPage.emailOrigin).toEqual({
    from: "campaign",
    url: tomPage,
    addedAt: page.emailSource?.staff?.addedAt,
  });
  expect(JSON.stringify(publicPage)).not.toContain(organiser.account.email);
  expect(JSON.stringify(publicPage)).not.toContain("tom@tomhale.example.org");

  const sent = (await post(organiser, tom.personId, { intent: "send-link" })) as Response;
  expect(sent.headers.get("Location")).toBe(`/staff/candidates/${tom.personId}?link=sent#signing-link`);
  expect((await outboxRows("signing-link")).map((m) => m.toAddress)).toEqual(["tom@tomhale.example.org"]);
});

test("an organiser removes a staff-added address with a reason; without one the form says what to do", async () => {
  const tom = await tomWithoutEmail();
  const organiser = await signedInStaff("organiser");
  await post(organiser, tom.personId, addTom);

  const missing = (await post(organiser, tom.personId, { intent: "remove-email", reason: "" })) as unknown as {
    data: { errors: Record<string, string> };
    init: ResponseInit;
  };
  expect([missing.init.status, missing.data.errors]).toEqual([
    400,
    { reason: "Enter why the email address is being removed" },
  ]);
  const removed = (await post(organiser, tom.personId, {
    intent: "remove-email",
    reason: "a typo in the address",
  })) as Response;

  expect(removed.headers.get("Location")).toBe(`/staff/candidates/${tom.personId}?email=removed#contact-details`);
  const page = await staffPage(organiser, tom.personId);
  expect([page.candidacy.email, page.emailSource]).toEqual([null, null]);
  expect((await emailAudits()).map((a) => [a.action, a.details])).toEqual([
    ["candidate.email", { sourceUrl: tomPage, changed: true }],
    ["candidate.email-remove", { reason: "a typo in the address" }],
  ]);
});

test("once staff add his address, an ask reaches a candidate who had none, by mail", async () => {
  const tom = await tomWithoutEmail();
  const organiser = await signedInStaff("organiser");
  await insertConfirmedAsk({ constituencyCode: tom.constituencyCode, candidacyIds: [tom.id] });
  await post(organiser, tom.personId, addTom);
  await insertConfirmedAsk({ constituencyCode: tom.constituencyCode, candidacyIds: [tom.id] });

  expect((await outboxRows("candidate-ask")).map((m) => m.toAddress)).toEqual(["tom@tomhale.example.org"]);
  const page = (await settle(async () =>
    candidateLoader({
      request: staffGet(`${base}/staff/candidates/${tom.personId}`, organiser),
      params: { personId: tom.personId },
      context: {},
    }),
  )) as { data: { asks: { deliveries: Record<string, number> } } };
  expect(page.data.asks.deliveries).toMatchObject({ mail: 1, "no-email": 1 });
});

type Applied = { outcome: string; summary: ImportSummary };

test("the import page shows a conflict with a staff-added address, keeps it, and replaces it only when the box is ticked", async () => {
  const now = () => new Date("2024-06-10T09:00:00.000Z");
  const harbury = buildSeat({ name: "Harbury Cross" });
  await runImport({ path: writeInputFile("seats.csv", hocCsv([harbury])), now });
  const bryn = buildCandidate(harbury, { person_name: "Bryn Tolley" });
  await runImport({ path: writeInputFile("may.csv", dcCsv([bryn], { format: "full" })), now });
  const organiser = await signedInStaff("organiser");
  await writeTransaction(db, () =>
    db
      .update(candidacies)
      .set({ email: "bryn@tolley.example.org", emailSource: "staff", emailSourceUrl: "https://tolley.example.org" }),
  );
  const contents = dcCsv([{ ...bryn, email: "office@dc.example.org" }], { format: "full" });
  const emailNow = async () =>
    (await db.select({ email: candidacies.email, source: candidacies.emailSource }).from(candidacies).limit(1))[0];

  const checked = await check(organiser, "july.csv", contents);
  const { summary } = checked.job.result as Applied;
  expect(summary.conflicts).toBe(1);
  expect(summary.changes.conflict.shown.map((c) => c.key)).toEqual([bryn.person_id]);

  const kept = (await apply(organiser, checked.id)).page?.job.result as Applied;
  expect(kept.outcome).toBe("applied");
  expect(kept.summary.line).toBe("0 changes (1 unchanged); 1 conflict with staff-added data, staff data kept");
  expect(await emailNow()).toEqual({ email: "bryn@tolley.example.org", source: "staff" });

  // An imported file is deleted: the same file again is a new upload and dry run.
  const again = await check(organiser, "july.csv", contents);
  const replaced = (await apply(organiser, again.id, { replaceStaffEmails: "yes" })).page?.job.result as Applied;
  expect(replaced.outcome).toBe("applied");
  expect(replaced.summary.updated).toBe(1);
  expect(await emailNow()).toEqual({ email: "office@dc.example.org", source: "import" });
  const audits = await db.select().from(auditLog).where(eq(auditLog.action, "import.apply"));
  expect(
    audits.map((a) => [a.details.replaceStaffEmails, (a.details.counts as { conflicts: number }).conflicts]),
  ).toEqual([
    [false, 1],
    [true, 0],
  ]);
}, 60_000);
