// The console's candidate pages: finding a candidate, what their page says
// about their contact details and asks, sending a signing link, and recording
// a pledge made elsewhere. Who may use them, and that a forged post changes nothing.
import { writeTransaction } from "#db/index";
import { eq } from "drizzle-orm";
import { expect, test } from "vitest";
import { auditLog, candidacies } from "#db/schema";
import { recordImportRun } from "~/models/import-run.server";
import { issueSigningLink, recordPledgeFromLink } from "~/models/signing-link.server";
import { action as candidateAction, loader as candidateLoader } from "~/routes/staff.candidates.$personId";
import { action as pledgeAction, loader as pledgeLoader } from "~/routes/staff.candidates.$personId_.pledge";
import { loader as listLoader } from "~/routes/staff.candidates._index";
import { db } from "~/utils/db.server";
import { outboxRows, pledgeHistoryOf } from "../db";
import { insertCampaign, insertCandidacy, insertConfirmedAsk, insertConstituency, insertParty } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";

const base = "http://localhost";

/** A campaign with two candidates in Brackenby Vale: Ruth has a published email, Tom has none. */
async function twoCandidates() {
  const campaign = await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  const ruth = await insertCandidacy({ constituency: seat, name: "Ruth Okafor", email: "ruth@example.net" });
  const tom = await insertCandidacy({ constituency: seat, name: "Tom Hale", email: null });
  return { campaign, seat, ruth, tom };
}

/** The audit log but for the sign-ins the test's staff sessions made and the test's campaign set-up. */
async function consoleAudits() {
  return (await db.select().from(auditLog)).filter(
    (a) => a.action !== "staff.sign-in" && a.actor !== "npm run campaign",
  );
}

type ListData = {
  total: number;
  page: number;
  pageCount: number;
  rows: { name: string; constituencyName: string; hasEmail: boolean; status: string; pledgeStatus: string }[];
};

async function listPage(session: { cookie: string }, query = "") {
  const result = await settle(async () =>
    listLoader({ request: staffGet(`${base}/staff/candidates${query}`, session), params: {}, context: {} }),
  );
  return (result as { data: ListData }).data;
}

type CandidateData = {
  candidacy: { id: number; email: string | null };
  emailSource: { fromImport: boolean; importedAt: string | null } | null;
  asks: { confirmed: number; held: number; deliveries: Record<string, number> };
  history: { recordedBy: string; note: string | null; trustMark: string }[];
  linkNotice: string | null;
  pledgeNotice: string | null;
};

async function candidatePage(session: { cookie: string }, personId: string, query = "") {
  const result = await settle(async () =>
    candidateLoader({
      request: staffGet(`${base}/staff/candidates/${personId}${query}`, session),
      params: { personId },
      context: {},
    }),
  );
  return (result as { data: CandidateData }).data;
}

function sendLink(session: { cookie: string; csrfToken: string }, personId: string, forgery = {}) {
  return settle(() =>
    candidateAction({
      request: staffPost(`${base}/staff/candidates/${personId}`, session, { intent: "send-link" }, forgery),
      params: { personId },
      context: {},
    }),
  );
}

function postPledge(
  session: { cookie: string; csrfToken: string },
  personId: string,
  fields: Record<string, string>,
  forgery = {},
) {
  return settle(() =>
    pledgeAction({
      request: staffPost(`${base}/staff/candidates/${personId}/pledge`, session, fields, forgery),
      params: { personId },
      context: {},
    }),
  );
}

/** A complete pledge form: every point signed unless `answers` says otherwise, with evidence and a note. */
function pledgeFields(points: { id: number }[], overrides: Record<string, string> = {}) {
  return {
    ...Object.fromEntries(points.map((p) => [`point-${p.id}`, "signed"])),
    statement: "",
    evidence: "https://example.org/hustings",
    note: "said so at the hustings",
    ...overrides,
  };
}

type FormReply = { data: { errors?: Record<string, string>; refused: string | null }; init: ResponseInit };

test("signed out, each page sends you to sign in; a viewer gets a 403 from every page and action", async () => {
  const { campaign, ruth } = await twoCandidates();
  const pages = [
    [`/staff/candidates`, () => listLoader],
    [`/staff/candidates/${ruth.personId}`, () => candidateLoader],
    [`/staff/candidates/${ruth.personId}/pledge`, () => pledgeLoader],
  ] as const;
  for (const [path, loaderOf] of pages) {
    const signedOut = (await settle(async () =>
      loaderOf()({ request: staffGet(`${base}${path}`), params: { personId: ruth.personId }, context: {} }),
    )) as Response;
    expect(signedOut.headers.get("Location"), path).toBe(`/staff/sign-in?next=${encodeURIComponent(path)}`);
  }
  const viewer = await signedInStaff("viewer");
  for (const [path, loaderOf] of pages) {
    const refused = (await settle(async () =>
      loaderOf()({ request: staffGet(`${base}${path}`, viewer), params: { personId: ruth.personId }, context: {} }),
    )) as Response;
    expect(refused.status, path).toBe(403);
  }
  expect(((await sendLink(viewer, ruth.personId)) as Response).status).toBe(403);
  expect(((await postPledge(viewer, ruth.personId, pledgeFields(campaign.points))) as Response).status).toBe(403);
  expect(await outboxRows("signing-link")).toEqual([]);
  expect(await pledgeHistoryOf(ruth.id)).toEqual([]);
  expect(await consoleAudits()).toEqual([]);
});

test("forged posts (no token, a wrong token, another origin) send no link and record no pledge", async () => {
  const { campaign, ruth } = await twoCandidates();
  const organiser = await signedInStaff("organiser");
  const forgeries = [{ csrf: null }, { csrf: "x".repeat(43) }, { origin: "https://evil.example" }];
  for (const forgery of forgeries) {
    expect(((await sendLink(organiser, ruth.personId, forgery)) as Response).status).toBe(403);
    const pledge = await postPledge(organiser, ruth.personId, pledgeFields(campaign.points), forgery);
    expect((pledge as Response).status).toBe(403);
  }
  expect(await outboxRows("signing-link")).toEqual([]);
  expect(await pledgeHistoryOf(ruth.id)).toEqual([]);
  expect(await consoleAudits()).toEqual([]);
});

test("the list searches by name and constituency (any case), party, status and whether there is an email", async () => {
  const { seat, ruth } = await twoCandidates();
  const green = await insertParty({ id: "PP63", name: "Green Party" });
  const other = await insertConstituency({ name: "Harrowfield North" });
  await insertCandidacy({ constituency: other, name: "Ruth Ambrose", partyId: green.id, email: "ambrose@example.net" });
  await insertCandidacy({ constituency: seat, name: "Gone Away", status: "withdrawn" });
  const organiser = await signedInStaff("organiser");
  const names = async (query: string) => (await listPage(organiser, query)).rows.map((r) => r.name);

  expect(await names("")).toEqual(["Gone Away", "Ruth Okafor", "Tom Hale", "Ruth Ambrose"]);
  expect(await names("?name=ruth")).toEqual(["Ruth Okafor", "Ruth Ambrose"]);
  expect(await names("?constituency=HARROW")).toEqual(["Ruth Ambrose"]);
  expect(await names("?party=PP63")).toEqual(["Ruth Ambrose"]);
  expect(await names("?status=withdrawn")).toEqual(["Gone Away"]);
  expect(await names("?status=standing&email=no")).toEqual(["Tom Hale"]);
  expect(await names("?email=yes&name=ruth&constituency=brackenby")).toEqual(["Ruth Okafor"]);
  // A % typed in the box is a letter to find, not "anything".
  expect(await names("?name=%25")).toEqual([]);
  const row = (await listPage(organiser, `?name=${encodeURIComponent(ruth.name)}`)).rows[0];
  expect(row).toMatchObject({ constituencyName: "Brackenby Vale", hasEmail: true, pledgeStatus: "no-answer" });
});

test("the list shows fifty candidates a page, and a page past the end shows the last", async () => {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  for (let i = 0; i < 51; i++)
    await insertCandidacy({ constituency: seat, name: `Candidate ${String(i).padStart(2, "0")}` });
  const organiser = await signedInStaff("organiser");
  const first = await listPage(organiser);
  expect([first.total, first.page, first.pageCount, first.rows.length]).toEqual([51, 1, 2, 50]);
  const last = await listPage(organiser, "?page=9");
  expect([last.page, last.rows.map((r) => r.name)]).toEqual([2, ["Candidate 50"]]);
});

test("a candidate's page gives their email's source and the import's date, or says there is no published email", async () => {
  const { ruth, tom } = await twoCandidates();
  await writeTransaction(db, () =>
    db.update(candidacies).set({ source: "dc-candidates" }).where(eq(candidacies.id, ruth.id)),
  );
  const run = {
    kind: "dc-candidates" as const,
    fileName: "candidates.csv",
    sha256: "0".repeat(64),
    rows: 2,
    added: 2,
    updated: 0,
    withdrawn: 0,
    removed: 0,
    unchanged: 0,
  };
  await recordImportRun({
    ...run,
    startedAt: new Date("2024-06-08T09:00:00Z"),
    finishedAt: new Date("2024-06-08T09:01:00Z"),
  });
  // A later dry run changed nothing, so it is not where the email came from.
  await recordImportRun({
    ...run,
    dryRun: true,
    startedAt: new Date("2024-06-09T09:00:00Z"),
    finishedAt: new Date("2024-06-09T09:01:00Z"),
  });
  const organiser = await signedInStaff("organiser");
  const ruthPage = await candidatePage(organiser, ruth.personId);
  expect(ruthPage.candidacy.email).toBe("ruth@example.net");
  expect(ruthPage.emailSource).toEqual({
    fromImport: true,
    // 09:01 UTC is 10:01 in London in June.
    importedAt: "8 Jun 2024, 10:01",
    source: "dc-candidates",
  });
  const tomPage = await candidatePage(organiser, tom.personId);
  expect([tomPage.candidacy.email, tomPage.emailSource]).toEqual([null, null]);
  const missing = (await settle(async () =>
    candidateLoader({
      request: staffGet(`${base}/staff/candidates/1`, organiser),
      params: { personId: "1" },
      context: {},
    }),
  )) as Response;
  expect(missing.status).toBe(404);
});

test("a candidate's page counts the asks naming them and how each reached them", async () => {
  const { seat, ruth, tom } = await twoCandidates();
  await insertConfirmedAsk({ constituencyCode: seat.gssCode, candidacyIds: [ruth.id, tom.id] });
  await insertConfirmedAsk({ constituencyCode: seat.gssCode, candidacyIds: [ruth.id, tom.id] });
  // Held for review (a disposable domain): counted apart, not as sent.
  await insertConfirmedAsk({ constituencyCode: seat.gssCode, candidacyIds: [ruth.id], email: "x@mailinator.com" });
  const organiser = await signedInStaff("organiser");
  expect((await candidatePage(organiser, ruth.personId)).asks).toEqual({
    confirmed: 2,
    held: 1,
    deliveries: { mail: 2, digest: 0, "no-email": 0, "already-signed": 0 },
  });
  expect((await candidatePage(organiser, tom.personId)).asks).toEqual({
    confirmed: 2,
    held: 0,
    deliveries: { mail: 0, digest: 0, "no-email": 2, "already-signed": 0 },
  });
});

test("an organiser sends a fresh signing link: it goes to the published address only, and is audited", async () => {
  const { ruth } = await twoCandidates();
  const organiser = await signedInStaff("organiser");
  const response = (await settle(() =>
    candidateAction({
      // An address slipped into the form is ignored: links go only where the candidate published.
      request: staffPost(`${base}/staff/candidates/${ruth.personId}`, organiser, {
        intent: "send-link",
        email: "attacker@evil.example",
      }),
      params: { personId: ruth.personId },
      context: {},
    }),
  )) as Response;
  expect(response.headers.get("Location")).toBe(`/staff/candidates/${ruth.personId}?link=sent#signing-link`);
  const mails = await outboxRows("signing-link");
  expect(mails.map((m) => [m.toAddress, m.candidacyId, m.status])).toEqual([["ruth@example.net", ruth.id, "queued"]]);
  expect(mails[0]!.textBody).toMatch(/\/pledge\/sign\/[A-Za-z0-9_-]{43}/);
  expect((await consoleAudits()).map((a) => [a.actor, a.action, a.subject, a.details])).toEqual([
    [
      organiser.account.email,
      "signing-link.send",
      `candidacy:${ruth.id}`,
      { outbox: `outbox:${mails[0]!.id}`, expiresAt: expect.any(String) as string },
    ],
  ]);
  expect((await candidatePage(organiser, ruth.personId, "?link=sent")).linkNotice).toMatch(/on its way/);
});

test("no link is sent to a candidate without a published email, and the hourly limit holds for staff too", async () => {
  const { ruth, tom } = await twoCandidates();
  const organiser = await signedInStaff("organiser");
  const none = (await sendLink(organiser, tom.personId)) as Response;
  expect(none.headers.get("Location")).toBe(`/staff/candidates/${tom.personId}?link=no-email#signing-link`);
  for (let i = 0; i < 3; i++) await sendLink(organiser, ruth.personId);
  const fourth = (await sendLink(organiser, ruth.personId)) as Response;
  expect(fourth.headers.get("Location")).toBe(`/staff/candidates/${ruth.personId}?link=too-many#signing-link`);
  expect((await outboxRows("signing-link")).map((m) => m.toAddress)).toEqual(Array(3).fill("ruth@example.net"));
  expect((await consoleAudits()).map((a) => a.subject)).toEqual(Array(3).fill(`candidacy:${ruth.id}`));
});

test("an organiser records a pledge made elsewhere: marked recorded by the campaign, with evidence, note and their name", async () => {
  const { campaign, tom } = await twoCandidates();
  const [one, two] = campaign.points;
  const organiser = await signedInStaff("organiser");
  const fields = pledgeFields(campaign.points, { [`point-${two!.id}`]: "declined", statement: "I back it." });
  const response = (await postPledge(organiser, tom.personId, fields)) as Response;
  expect(response.headers.get("Location")).toBe(`/staff/candidates/${tom.personId}?pledge=recorded`);
  expect(
    (await pledgeHistoryOf(tom.id)).map((h) => [
      h.answers,
      h.trustMark,
      h.evidenceUrl,
      h.note,
      h.recordedBy,
      h.statement,
    ]),
  ).toEqual([
    [
      { [one!.id]: "signed", [two!.id]: "declined" },
      "recorded-by-campaign",
      "https://example.org/hustings",
      "said so at the hustings",
      organiser.account.email,
      "I back it.",
    ],
  ]);
  expect((await consoleAudits()).map((a) => [a.actor, a.action, a.subject])).toEqual([
    [organiser.account.email, "pledge.record", `candidacy:${tom.id} person:${tom.personId}`],
  ]);
  // The same again changes nothing and says so.
  const again = (await postPledge(organiser, tom.personId, fields)) as Response;
  expect(again.headers.get("Location")).toBe(`/staff/candidates/${tom.personId}?pledge=unchanged`);
  expect(await pledgeHistoryOf(tom.id)).toHaveLength(1);
  const page = await candidatePage(organiser, tom.personId, "?pledge=recorded");
  expect(page.history.map((h) => [h.recordedBy, h.note])).toEqual([
    [organiser.account.email, "said so at the hustings"],
  ]);
  expect(page.pledgeNotice).toMatch(/recorded by the campaign/);
});

test("the pledge form says what is wrong, keeps what was typed and records nothing", async () => {
  const { campaign, tom } = await twoCandidates();
  const [one] = campaign.points;
  const organiser = await signedInStaff("organiser");
  const bad = (await postPledge(organiser, tom.personId, {
    ...pledgeFields(campaign.points, { evidence: "javascript:alert(1)", note: "  " }),
    [`point-${one!.id}`]: "",
  })) as FormReply & { data: { values: Record<string, string> } };
  expect(bad.init.status).toBe(400);
  expect(bad.data.errors).toEqual({
    [`point-${one!.id}`]: "Select an answer for point 1",
    evidence: "The evidence must be a web address starting http:// or https://",
    note: "Enter a note saying what the evidence is, for example “said so at the hustings”",
  });
  expect(bad.data.values.evidence).toBe("javascript:alert(1)");
  const noEvidence = (await postPledge(
    organiser,
    tom.personId,
    pledgeFields(campaign.points, { evidence: "" }),
  )) as FormReply;
  expect(noEvidence.data.errors).toEqual({ evidence: "Enter the web address of the evidence" });
  // Nothing to withdraw yet: "not answered" everywhere would only record an empty pledge.
  const nothing = Object.fromEntries(campaign.points.map((p) => [`point-${p.id}`, "none"]));
  const empty = (await postPledge(organiser, tom.personId, pledgeFields(campaign.points, nothing))) as FormReply;
  expect(empty.data.errors?.[`point-${one!.id}`]).toMatch(/no recorded pledge to withdraw/);
  expect(await pledgeHistoryOf(tom.id)).toEqual([]);
  expect(await consoleAudits()).toEqual([]);
});

test("a recorded pledge is withdrawn by a later entry that answers nothing; the history keeps both", async () => {
  const { campaign, tom } = await twoCandidates();
  const organiser = await signedInStaff("organiser");
  await postPledge(organiser, tom.personId, pledgeFields(campaign.points));
  const nothing = Object.fromEntries(campaign.points.map((p) => [`point-${p.id}`, "none"]));
  const withdrawn = (await postPledge(
    organiser,
    tom.personId,
    pledgeFields(campaign.points, { ...nothing, note: "recorded against the wrong candidate" }),
  )) as Response;
  expect(withdrawn.headers.get("Location")).toBe(`/staff/candidates/${tom.personId}?pledge=recorded`);
  expect((await pledgeHistoryOf(tom.id)).map((h) => [Object.keys(h.answers).length, h.note])).toEqual([
    [2, "said so at the hustings"],
    [0, "recorded against the wrong candidate"],
  ]);
  const list = await listPage(organiser, "?name=tom");
  expect(list.rows.map((r) => r.pledgeStatus)).toEqual(["no-answer"]);
});

test("answers the candidate verified by email are never overridden from the console, and the page says why", async () => {
  const { campaign, ruth } = await twoCandidates();
  const [one, two] = campaign.points;
  const link = (await issueSigningLink({ candidacyId: ruth.id, now: new Date() }))!;
  await recordPledgeFromLink({
    token: link.url.split("/pledge/sign/")[1]!,
    answers: { [one!.id]: "declined", [two!.id]: "declined" },
    statement: null,
    now: new Date(),
  });
  const organiser = await signedInStaff("organiser");
  const form = (await pledgeLoader({
    request: staffGet(`${base}/staff/candidates/${ruth.personId}/pledge`, organiser),
    params: { personId: ruth.personId },
    context: {},
  })) as { data: { trustMark: string | null } };
  expect(form.data.trustMark).toBe("verified-by-email");
  const refused = (await postPledge(organiser, ruth.personId, pledgeFields(campaign.points))) as FormReply;
  expect([refused.init.status, refused.data.refused]).toEqual([409, "verified"]);
  expect((await pledgeHistoryOf(ruth.id)).map((h) => [h.trustMark, h.recordedBy, h.answers])).toEqual([
    ["verified-by-email", "candidate", { [one!.id]: "declined", [two!.id]: "declined" }],
  ]);
  expect(await consoleAudits()).toEqual([]);
});

test("no pledge is recorded for a withdrawn candidate", async () => {
  const { campaign, tom } = await twoCandidates();
  await writeTransaction(db, () =>
    db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, tom.id)),
  );
  const organiser = await signedInStaff("organiser");
  const refused = (await postPledge(organiser, tom.personId, pledgeFields(campaign.points))) as FormReply;
  expect([refused.init.status, refused.data.refused]).toEqual([409, "withdrawn"]);
  expect(await pledgeHistoryOf(tom.id)).toEqual([]);
});
