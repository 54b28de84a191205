// "Report a correction": the public form on each candidate page, and the
// staff queue that resolves or dismisses reports.
import { expect, test } from "vitest";
import { isNotNull } from "drizzle-orm";
import { auditLog, correctionReports } from "#db/schema";
import { deleteDecidedCorrectionReports } from "~/models/correction-report.server";
import { action as reportAction, loader as reportLoader } from "~/routes/candidates.$personId_.correction";
import { loader as sentLoader } from "~/routes/candidates.$personId_.correction_.thank-you";
import { action as queueAction, loader as queueLoader } from "~/routes/staff.corrections";
import { loader as staffLayoutLoader } from "~/routes/staff";
import { db } from "~/utils/db.server";
import { insertCampaign, insertCandidacy, insertConstituency } from "../factories";
import { settle, signedInStaff, staffGet, staffPost } from "../staff";
import { DAY } from "../time";

const base = "http://localhost";
let client = 0;

async function setUp() {
  await insertCampaign();
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  return insertCandidacy({ constituency: seat, name: "Ruth Abbott", email: "ruth@example.net" });
}

function report(personId: string, fields: Record<string, string>, { clientIp = `192.0.2.${++client}` } = {}) {
  const request = new Request(`${base}/candidates/${personId}/correction`, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
  return settle(() => reportAction({ request, params: { personId }, context: { clientIp } })) as Promise<Response>;
}

const good = { topic: "party", details: "She now stands for the Green Party.", reporterEmail: "" };

test("a reader reports a correction: it is stored, cleaned, and they are thanked", async () => {
  const candidate = await setUp();
  const page = await reportLoader({
    request: new Request(`${base}/x`),
    params: { personId: candidate.personId },
    context: {},
  });
  expect(page.candidacy.name).toBe("Ruth Abbott");

  const sent = await report(candidate.personId, {
    topic: "statement",
    details: "  Her statement\r\nis out of date.\u0000\u0007 ",
    reporterEmail: " Reader@Example.org ",
  });
  expect(sent.status).toBe(302);
  expect(sent.headers.get("Location")).toBe(`/candidates/${candidate.personId}/correction/thank-you`);
  expect(await db.select().from(correctionReports)).toMatchObject([
    {
      candidacyId: candidate.id,
      topic: "statement",
      details: "Her statement\nis out of date.",
      reporterEmail: "Reader@Example.org",
      status: "open",
    },
  ]);
  await report(candidate.personId, good);
  expect((await db.select().from(correctionReports))[1]!.reporterEmail).toBeNull();
  const thanks = await sentLoader({
    request: new Request(`${base}/x`),
    params: { personId: candidate.personId },
    context: {},
  });
  expect(thanks.candidacy.name).toBe("Ruth Abbott");
});

test("missing, hostile and overlong input is refused with a message for each field, and nothing is stored", async () => {
  const candidate = await setUp();
  const cases: [Record<string, string>, Record<string, string>][] = [
    [{}, { topic: "Select what is wrong", details: "Enter what is wrong and what it should say" }],
    [{ topic: "everything", details: "x" }, { topic: "Select what is wrong" }],
    [{ topic: "other", details: "\u0000\u0001\u001b" }, { details: "Enter what is wrong and what it should say" }],
    [{ topic: "other", details: "x".repeat(1_001) }, { details: "What is wrong must be 1000 characters or fewer" }],
    [
      { topic: "email", details: "Wrong address", reporterEmail: "not an email" },
      { reporterEmail: "Enter an email address in the correct format, like name@example.com" },
    ],
    [
      { topic: "email", details: "Wrong address", reporterEmail: `${"a".repeat(250)}@example.org` },
      { reporterEmail: "Your email address must be 254 characters or fewer" },
    ],
  ];
  for (const [fields, errors] of cases) {
    const refused = await report(candidate.personId, fields);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { errors: Record<string, string>; values: Record<string, string> };
    expect(body.errors).toEqual(errors);
    // What they typed comes back to the form.
    expect(body.values.details).toBe(fields.details ?? "");
  }
  // A thousand characters exactly is fine.
  expect((await report(candidate.personId, { topic: "other", details: "x".repeat(1_000) })).status).toBe(302);
  expect(await db.select().from(correctionReports)).toHaveLength(1);
});

test("an unknown candidate is a 404", async () => {
  await setUp();
  expect((await report("123", good)).status).toBe(404);
  const page = await settle(async () =>
    reportLoader({ request: new Request(`${base}/x`), params: { personId: "123" }, context: {} }),
  );
  expect((page as Response).status).toBe(404);
});

test("one client may send five reports an hour; the sixth gets a 429 with Retry-After; another client is not held up", async () => {
  const candidate = await setUp();
  for (let i = 0; i < 5; i++)
    expect((await report(candidate.personId, good, { clientIp: "203.0.113.7" })).status).toBe(302);
  const limited = await report(candidate.personId, good, { clientIp: "203.0.113.7" });
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  expect((await report(candidate.personId, good, { clientIp: "203.0.113.8" })).status).toBe(302);
  expect(await db.select().from(correctionReports)).toHaveLength(6);
});

test("the queue is for organisers: signed out goes to sign in, a viewer gets a 403 and no count in the nav", async () => {
  const candidate = await setUp();
  await report(candidate.personId, good);
  const signedOut = (await settle(async () =>
    queueLoader({ request: staffGet(`${base}/staff/corrections`), params: {}, context: {} }),
  )) as Response;
  expect(signedOut.headers.get("Location")).toBe("/staff/sign-in?next=%2Fstaff%2Fcorrections");
  const viewer = await signedInStaff("viewer");
  const refused = (await settle(async () =>
    queueLoader({ request: staffGet(`${base}/staff/corrections`, viewer), params: {}, context: {} }),
  )) as Response;
  expect(refused.status).toBe(403);
  const viewerPost = (await settle(() =>
    queueAction({
      request: staffPost(`${base}/staff/corrections`, viewer, { reportId: "1", intent: "resolve" }),
      params: {},
      context: {},
    }),
  )) as Response;
  expect(viewerPost.status).toBe(403);
  expect(
    (await staffLayoutLoader({ request: staffGet(`${base}/staff`, viewer), params: {}, context: {} })).openCorrections,
  ).toBe(0);

  const organiser = await signedInStaff("organiser");
  expect(
    (await staffLayoutLoader({ request: staffGet(`${base}/staff`, organiser), params: {}, context: {} }))
      .openCorrections,
  ).toBe(1);
  const page = (await queueLoader({
    request: staffGet(`${base}/staff/corrections`, organiser),
    params: {},
    context: {},
  })) as { data: { open: { candidateName: string; details: string }[] }; init: ResponseInit };
  expect(page.data.open).toMatchObject([{ candidateName: "Ruth Abbott", details: good.details }]);
  expect(new Headers(page.init.headers).get("Cache-Control")).toBe("no-store");
  expect((await db.select().from(correctionReports).limit(1))[0]!.status).toBe("open");
});

test("forged posts (no token, a wrong token, another origin) change nothing", async () => {
  const candidate = await setUp();
  await report(candidate.personId, good);
  const id = String((await db.select().from(correctionReports).limit(1))[0]!.id);
  const organiser = await signedInStaff("organiser");
  for (const forgery of [{ csrf: null }, { csrf: "x".repeat(43) }, { origin: "https://evil.example" }]) {
    const refused = (await settle(() =>
      queueAction({
        request: staffPost(`${base}/staff/corrections`, organiser, { reportId: id, intent: "resolve" }, forgery),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(refused.status).toBe(403);
  }
  expect((await db.select().from(correctionReports).limit(1))[0]!.status).toBe("open");
  expect((await db.select().from(auditLog)).filter((a) => a.action.startsWith("correction."))).toEqual([]);
});

test("an organiser resolves one report and dismisses another, each with a note, audited without the reporter's email", async () => {
  const candidate = await setUp();
  await report(candidate.personId, { ...good, reporterEmail: "reader@example.org" });
  await report(candidate.personId, { topic: "other", details: "Typo in her name?" });
  const [first, second] = await db.select().from(correctionReports);
  const organiser = await signedInStaff("organiser");
  const post = (fields: Record<string, string>) =>
    settle(() =>
      queueAction({ request: staffPost(`${base}/staff/corrections`, organiser, fields), params: {}, context: {} }),
    ) as Promise<Response | { data: { errors: Record<string, string> }; init: ResponseInit }>;

  const tooLong = (await post({ reportId: String(first!.id), intent: "resolve", note: "n".repeat(501) })) as {
    data: { errors: Record<string, string> };
    init: ResponseInit;
  };
  expect(tooLong.init.status).toBe(400);
  expect(tooLong.data.errors).toEqual({ [`note-${first!.id}`]: "The note must be 500 characters or fewer" });

  const resolved = (await post({ reportId: String(first!.id), intent: "resolve", note: "Party updated." })) as Response;
  expect(resolved.headers.get("Location")).toBe(`/staff/corrections?decided=${first!.id}`);
  await post({ reportId: String(second!.id), intent: "dismiss", note: "" });
  // Deciding again changes nothing: the first decision stands.
  await post({ reportId: String(first!.id), intent: "dismiss", note: "Oops" });
  expect(await db.select().from(correctionReports)).toMatchObject([
    { status: "resolved", staffNote: "Party updated.", decidedBy: organiser.account.id },
    { status: "dismissed", staffNote: null, decidedBy: organiser.account.id },
  ]);
  const audits = (await db.select().from(auditLog)).filter((a) => a.action.startsWith("correction."));
  expect(audits.map((a) => [a.action, a.subject, a.details])).toEqual([
    ["correction.resolve", `correction:${first!.id}`, { topic: "party" }],
    ["correction.dismiss", `correction:${second!.id}`, { topic: "other" }],
  ]);
  expect(JSON.stringify(await db.select().from(auditLog))).not.toContain("reader@example.org");
  const page = (await queueLoader({
    request: staffGet(`${base}/staff/corrections?decided=${first!.id}`, organiser),
    params: {},
    context: {},
  })) as { data: { open: unknown[]; closed: { status: string }[]; decided?: { status: string } } };
  expect(page.data.open).toEqual([]);
  expect(page.data.closed.map((r) => r.status)).toEqual(["dismissed", "resolved"]);
  expect(page.data.decided?.status).toBe("resolved");
});

test("decided reports, and the reporter's email with them, are deleted 30 days after the decision; open ones stay", async () => {
  const candidate = await setUp();
  await report(candidate.personId, { ...good, reporterEmail: "reader@example.org" });
  await report(candidate.personId, good);
  const [first] = await db.select().from(correctionReports);
  const organiser = await signedInStaff("organiser");
  await settle(() =>
    queueAction({
      request: staffPost(`${base}/staff/corrections`, organiser, { reportId: String(first!.id), intent: "resolve" }),
      params: {},
      context: {},
    }),
  );
  const decidedAt = Date.parse(
    (await db.select().from(correctionReports).where(isNotNull(correctionReports.decidedAt)))[0]!.decidedAt!,
  );
  expect(await deleteDecidedCorrectionReports({ now: new Date(decidedAt + 29 * DAY) })).toBe(0);
  expect(await deleteDecidedCorrectionReports({ now: new Date(decidedAt + 30 * DAY) })).toBe(1);
  expect(await db.select().from(correctionReports)).toMatchObject([{ status: "open" }]);
  expect(await deleteDecidedCorrectionReports({ now: new Date(decidedAt + 365 * DAY) })).toBe(0);
});
