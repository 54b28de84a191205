// The real loaders and actions of the candidate journey against a real SQLite
// file: /pledge/sign/:token (the link in the mail), /candidates/:personId (the
// public page and "Email me a signing link"), and what the constituency page
// and the ask form show once a candidate has answered.
import { eq } from "drizzle-orm";
import { afterEach, expect, test, vi } from "vitest";
import { writeTransaction } from "#db/index";
import { askRecipients, candidacies, pledges, signingTokens } from "#db/schema";
import { submitAsk } from "~/models/ask.server";
import { issueSigningLink, revokeSigningLinks } from "~/models/signing-link.server";
import {
  action as candidateAction,
  headers as candidateHeaders,
  loader as candidateLoader,
} from "~/routes/candidates.$personId";
import { loader as constituencyLoader } from "~/routes/constituencies.$slug";
import { loader as askLoader } from "~/routes/constituencies.$slug_.ask";
import { action as signAction, headers as signHeaders, loader as signLoader } from "~/routes/pledge.sign.$token";
import { db } from "~/utils/db.server";
import { createMailTransport } from "~/mail/transport.server";
import { drainOutbox, startMailWorker } from "~/mail/worker.server";
import { hashToken } from "~/utils/tokens.server";
import { outboxRows, pledgeHistoryOf, snapshotDatabase } from "../db";
import {
  insertCampaign,
  insertCandidacy,
  insertConfirmedAsk,
  insertConstituency,
  insertParty,
  buildAsk,
} from "../factories";
import { anyLinkTo, tokenIn } from "../links";
import { DAY } from "../time";

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * A four-point campaign, and Brackenby Vale with five standing candidates:
 * four with a published email, Sandra without one.
 */
async function setUp() {
  const campaign = await insertCampaign({
    points: [
      { title: "Stop untreated sewage reaching our rivers.", body: "I will press for every overflow to be monitored." },
      { title: "Fund the people who check the water.", body: "I will back enough inspectors and sampling." },
      { title: "Make polluters pay for the clean-up.", body: "I will support fines that cost more than they save." },
      { title: "Give every community a bathing water it can trust.", body: "I will work for a tested place to swim." },
    ],
  });
  const seat = await insertConstituency({ name: "Brackenby Vale" });
  async function candidate(name: string, party: { id: string; name: string }, email: string | null) {
    return insertCandidacy({ constituency: seat, name, partyId: (await insertParty(party)).id, email });
  }
  const ruth = await candidate("Ruth Adeyemi", { id: "PP53", name: "Labour Party" }, "ruth.adeyemi@example.net");
  const edward = await candidate(
    "Edward James Fairbrother",
    { id: "PP52", name: "Conservative and Unionist Party" },
    "edward.fairbrother@example.org",
  );
  const felix = await candidate("Felix Garrowby", { id: "PP90", name: "Liberal Democrats" }, "felix@example.net");
  const sandra = await candidate("Sandra Hebblethwaite", { id: "PP7931", name: "Reform UK" }, null);
  await candidate("Zoë Pembridge", { id: "PP63", name: "Green Party" }, "zoe.pembridge@example.org");
  return { campaign, points: campaign.points, seat, ruth, felix, sandra, edward };
}

/** A signing link as every mail carries one: the loaders and actions run on the real clock. */
async function linkFor(candidacyId: number, now = new Date()) {
  const link = await issueSigningLink({ candidacyId, now });
  if (!link) throw new Error("no signing link issued");
  return link.url.split("/pledge/sign/")[1]!;
}

function form(fields: Record<string, string>) {
  return new URLSearchParams(fields);
}

/** The form the signing page posts: one radio per point ("signed", "declined" or "none") and the statement. */
function answersForm(points: { id: number }[], inOrder: string[], statement = "") {
  const fields: Record<string, string> = { statement };
  points.forEach((p, i) => {
    const value = inOrder[i];
    if (value !== undefined) fields[`point-${p.id}`] = value;
  });
  return fields;
}

const threeAndOne = ["signed", "signed", "signed", "declined"];

async function openLink(token: string, method: "GET" | "HEAD" = "GET") {
  return signLoader({
    request: new Request(`http://localhost/pledge/sign/${token}`, { method }),
    params: { token },
    context: {},
  });
}

async function postLink(token: string, fields: Record<string, string>) {
  const request = new Request(`http://localhost/pledge/sign/${token}`, { method: "POST", body: form(fields) });
  try {
    return await signAction({ request, params: { token }, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function requestLinkOnPage(
  personId: string,
  fields: Record<string, string> = {},
  clientIp?: string,
): Promise<Response> {
  const request = new Request(`http://localhost/candidates/${personId}`, { method: "POST", body: form(fields) });
  try {
    await candidateAction({ request, params: { personId }, context: { clientIp } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error("the action should always redirect");
}

async function candidatePage(personId: string, query = "") {
  return candidateLoader({
    request: new Request(`http://localhost/candidates/${personId}${query}`),
    params: { personId },
    context: {},
  });
}

function expectTokenHeaders(response: Response) {
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  expect(response.headers.get("Referrer-Policy")).toBe("strict-origin");
}

test("opening a link, by GET or HEAD, shows the pledge page with a button and changes nothing", async () => {
  const { campaign, ruth, points } = await setUp();
  const token = await linkFor(ruth.id);

  const before = await snapshotDatabase();
  const page = await openLink(token);
  const head = await openLink(token, "HEAD");
  expect(await snapshotDatabase()).toEqual(before);

  expect(head).toEqual(page);
  expect(page.page).toMatchObject({
    status: "valid",
    candidacy: {
      personId: ruth.personId,
      name: "Ruth Adeyemi",
      partyName: "Labour Party",
      constituencyName: "Brackenby Vale",
    },
    pledge: { answers: {}, statement: null, trustMark: null },
  });
  expect(page.points.map((p) => p.title)).toEqual(points.map((p) => p.title));
  expect(page.contactEmail).toBe(campaign.fromEmail);

  // Once answered, opening the link again still changes nothing, and shows the answers.
  expect((await postLink(token, answersForm(points, threeAndOne, "Hello"))).status).toBe(302);
  const answered = await snapshotDatabase();
  const again = await openLink(token, "HEAD");
  await openLink(token);
  expect(await snapshotDatabase()).toEqual(answered);
  expect(again.page.status === "valid" ? again.page.pledge.statement : null).toBe("Hello");
});

test("dead links, opened by GET or HEAD, say why and change nothing", async () => {
  const { ruth, felix, sandra, edward } = await setUp();
  const expired = await linkFor(edward.id, new Date(Date.now() - 31 * DAY));
  const revoked = await linkFor(ruth.id);
  await revokeSigningLinks({ candidacyIds: [ruth.id], now: new Date() });
  const withdrawn = await linkFor(felix.id);
  await writeTransaction(db, () =>
    db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, felix.id)),
  );
  const tampered = `${revoked.slice(0, -1)}${revoked.endsWith("A") ? "B" : "A"}`;

  const before = await snapshotDatabase();
  const statuses: string[] = [];
  for (const token of [expired, revoked, withdrawn, tampered, "not-a-token"]) {
    for (const method of ["GET", "HEAD"] as const) statuses.push((await openLink(token, method)).page.status);
  }
  expect(await snapshotDatabase()).toEqual(before);
  expect(statuses).toEqual([
    "expired",
    "expired",
    "revoked",
    "revoked",
    "withdrawn",
    "withdrawn",
    "unknown",
    "unknown",
    "unknown",
    "unknown",
  ]);
  const expiredPage = (await openLink(expired)).page;
  expect(expiredPage.status === "expired" ? expiredPage.candidacy.name : null).toBe("Edward James Fairbrother");
  expect(sandra.email).toBeNull();
});

test("token pages are never cached and never pass the link on as a referrer", async () => {
  const { ruth, points } = await setUp();
  const exported = new Headers(
    signHeaders({
      loaderHeaders: new Headers(),
      parentHeaders: new Headers(),
      actionHeaders: new Headers(),
      errorHeaders: undefined,
    }),
  );
  expect(Object.fromEntries(exported)).toEqual({ "cache-control": "no-store", "referrer-policy": "strict-origin" });

  const token = await linkFor(ruth.id);
  const invalid = await postLink(token, answersForm(points, []));
  expect(invalid.status).toBe(400);
  expectTokenHeaders(invalid);
  const dead = await postLink("A".repeat(43), answersForm(points, threeAndOne));
  expect(dead.status).toBe(410);
  expectTokenHeaders(dead);
  const fresh = await postLink("A".repeat(43), { intent: "fresh-link" });
  expect(fresh.status).toBe(200);
  expectTokenHeaders(fresh);
  const recorded = await postLink(token, answersForm(points, threeAndOne));
  expect(recorded.status).toBe(302);
  expectTokenHeaders(recorded);
});

test("the button records the answers and goes to the candidate's page; two identical POSTs at once record one signing", async () => {
  const { seat, ruth, points } = await setUp();
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    email: "ann@example.org",
    candidacyIds: [ruth.id],
    wantsUpdates: true,
  });
  const token = await linkFor(ruth.id);
  const fields = answersForm(points, threeAndOne, "I cannot sign point 4.");

  const responses = await Promise.all([postLink(token, fields), postLink(token, fields)]);
  for (const response of responses) {
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(new RegExp(`^/candidates/${ruth.personId}\\?recorded=\\d+$`));
  }
  const history = await pledgeHistoryOf(ruth.id);
  expect(history).toHaveLength(1);
  expect(history[0]).toMatchObject({
    candidacyId: ruth.id,
    statement: "I cannot sign point 4.",
    trustMark: "verified-by-email",
    recordedBy: "candidate",
  });
  expect(Object.values(history[0]!.answers)).toEqual(threeAndOne);
  expect((await outboxRows("pledge-recorded")).map((m) => m.toAddress)).toEqual(["ruth.adeyemi@example.net"]);
  expect((await outboxRows("candidate-signed")).map((m) => m.toAddress)).toEqual(["ann@example.org"]);

  // The same link again, with a change of mind: one more entry, dated.
  const changed = await postLink(
    token,
    answersForm(points, ["signed", "signed", "signed", "signed"], "I cannot sign point 4."),
  );
  expect(changed.headers.get("Location")).toMatch(new RegExp(`^/candidates/${ruth.personId}\\?recorded=\\d+$`));
  expect(await pledgeHistoryOf(ruth.id)).toHaveLength(2);
  expect(await outboxRows("candidate-signed")).toHaveLength(1);

  const page = await candidatePage(ruth.personId, "?recorded=1");
  expect(page.recorded).toBe(true);
  expect(page.points.map((p) => p.answer)).toEqual(["signed", "signed", "signed", "signed"]);
  expect(page.history).toHaveLength(2);
});

test("every point needs an answer, 'not answered yet' included; nothing is recorded until the form is right", async () => {
  const { ruth, points } = await setUp();
  const token = await linkFor(ruth.id);
  const before = await snapshotDatabase();

  const missing = await postLink(token, answersForm(points, ["signed", "maybe", "declined"], "Kept as typed"));
  expect(missing.status).toBe(400);
  const data = (await missing.json()) as { errors: Record<string, string>; values: Record<string, string> };
  expect(data.errors).toEqual({
    [`point-${points[1]!.id}`]: "Select whether you sign point 2",
    [`point-${points[3]!.id}`]: "Select whether you sign point 4",
  });
  expect(data.values).toMatchObject({ [`point-${points[0]!.id}`]: "signed", statement: "Kept as typed" });
  expect(await snapshotDatabase()).toEqual(before);

  const none = await postLink(token, answersForm(points, ["signed", "none", "none", "declined"]));
  expect(none.status).toBe(302);
  const page = await candidatePage(ruth.personId);
  expect(page.points.map((p) => p.answer)).toEqual(["signed", null, null, "declined"]);
  expect(page.statement).toBeNull();
});

test("the statement is limited to 1000 characters and kept as plain text, without control characters", async () => {
  const { ruth, points } = await setUp();
  const token = await linkFor(ruth.id);
  const tooLong = await postLink(token, answersForm(points, threeAndOne, "x".repeat(1001)));
  expect(tooLong.status).toBe(400);
  expect(((await tooLong.json()) as { errors: Record<string, string> }).errors).toEqual({
    statement: "Your statement must be 1000 characters or fewer",
  });
  expect(await db.select().from(pledges).where(eq(pledges.candidacyId, ruth.id))).toEqual([]);

  const statement = "  <b>Refugees</b> are welcome\r\nhere.\u0007\u0000 <script>alert(1)</script>  ";
  expect((await postLink(token, answersForm(points, threeAndOne, statement))).status).toBe(302);
  expect((await candidatePage(ruth.personId)).statement).toBe(
    "<b>Refugees</b> are welcome\nhere. <script>alert(1)</script>",
  );

  expect((await postLink(token, answersForm(points, threeAndOne, "y".repeat(1000)))).status).toBe(302);
  expect((await candidatePage(ruth.personId)).statement).toBe("y".repeat(1000));
});

test("a POST through a dead link records nothing and answers 410", async () => {
  const { ruth, felix, points } = await setUp();
  const revoked = await linkFor(ruth.id);
  await revokeSigningLinks({ candidacyIds: [ruth.id], now: new Date() });
  const expired = await linkFor(ruth.id, new Date(Date.now() - 30 * DAY - 1000));
  const withdrawn = await linkFor(felix.id);
  await writeTransaction(db, () =>
    db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, felix.id)),
  );
  const valid = await linkFor(ruth.id);
  const tampered = `${valid.slice(0, 10)}${valid[10] === "A" ? "B" : "A"}${valid.slice(11)}`;

  const before = await snapshotDatabase();
  // The answer says which dead link it was, for the page to explain (a 410 does not reload the page's data).
  for (const [token, status] of [
    [expired, "expired"],
    [revoked, "revoked"],
    [withdrawn, "withdrawn"],
    [tampered, "unknown"],
  ] as const) {
    const response = await postLink(token, answersForm(points, threeAndOne, "Should not appear"));
    expect(response.status).toBe(410);
    expect(await response.json()).toMatchObject({
      freshLinkSent: false,
      errors: null,
      values: null,
      deadLink: { status },
    });
  }
  expect(await snapshotDatabase()).toEqual(before);
  expect((await candidatePage(felix.personId)).points.every((p) => p.answer === null)).toBe(true);
});

test("an expired link offers a fresh one, sent only to the published address; other links get the same answer and no mail", async () => {
  const { ruth, points } = await setUp();
  const expired = await linkFor(ruth.id, new Date(Date.now() - 31 * DAY));
  const response = await postLink(expired, { intent: "fresh-link", email: "attacker@example.org" });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ freshLinkSent: true, errors: null, values: null, deadLink: null });

  const mails = await outboxRows();
  expect(mails.map((m) => [m.kind, m.toAddress])).toEqual([["signing-link", "ruth.adeyemi@example.net"]]);
  const fresh = tokenIn(mails[0]!.textBody, "pledge/sign");
  expect(fresh).not.toBe(expired);
  expect((await openLink(fresh)).page.status).toBe("valid");
  expect((await postLink(fresh, answersForm(points, threeAndOne))).status).toBe(302);

  // A made-up link asking for a fresh one sees the same thing, and nothing is sent.
  const madeUp = await postLink("B".repeat(43), { intent: "fresh-link" });
  expect(madeUp.status).toBe(200);
  expect(await madeUp.json()).toEqual({ freshLinkSent: true, errors: null, values: null, deadLink: null });
  expect(await outboxRows("signing-link")).toHaveLength(1);
});

test("'Email me a new link' on an expired link is limited like the candidate page's button: a 429 with Retry-After", async () => {
  const { ruth } = await setUp();
  const expired = await linkFor(ruth.id, new Date(Date.now() - 31 * DAY));
  // Three an hour to one candidate's inbox, wherever they are asked for.
  for (let i = 0; i < 3; i++) expect((await postLink(expired, { intent: "fresh-link" })).status).toBe(200);
  const limited = await postLink(expired, { intent: "fresh-link" });
  expect(limited.status).toBe(429);
  const retryAfter = Number(limited.headers.get("Retry-After"));
  expect(retryAfter).toBeGreaterThan(3_000);
  expect(retryAfter).toBeLessThanOrEqual(3_600);
  const pageHeaders = new Headers(
    signHeaders({
      errorHeaders: limited.headers,
      loaderHeaders: new Headers(),
      actionHeaders: new Headers(),
      parentHeaders: new Headers(),
    }),
  );
  expect(pageHeaders.get("Retry-After")).toBe(String(retryAfter));
  expect(pageHeaders.get("Cache-Control")).toBe("no-store");
  expect(await outboxRows("signing-link")).toHaveLength(3);
});

test("'Email me a signing link' sends only to the published address, whatever the form says, and answers the same when there is none", async () => {
  const { campaign, ruth, sandra } = await setUp();
  const withEmail = await requestLinkOnPage(ruth.personId, {
    email: "attacker@example.org",
    toAddress: "attacker@example.org",
  });
  expect(withEmail.status).toBe(302);
  expect(withEmail.headers.get("Location")).toBe(`/candidates/${ruth.personId}?link=requested#signing-link`);
  const mails = await outboxRows();
  expect(mails.map((m) => [m.kind, m.toAddress, m.toName, m.candidacyId])).toEqual([
    ["signing-link", "ruth.adeyemi@example.net", "Ruth Adeyemi", ruth.id],
  ]);
  expect(JSON.stringify(await snapshotDatabase())).not.toContain("attacker@example.org");
  const stored = await db.select().from(signingTokens);
  expect(stored.map((t) => [t.candidacyId, t.sentTo])).toEqual([[ruth.id, "ruth.adeyemi@example.net"]]);
  expect(stored[0]?.tokenHash).toBe(hashToken(tokenIn(mails[0]!.textBody, "pledge/sign")));

  const before = await snapshotDatabase();
  const withoutEmail = await requestLinkOnPage(sandra.personId, { email: "attacker@example.org" });
  expect(withoutEmail.status).toBe(withEmail.status);
  expect(withoutEmail.headers.get("Location")).toBe(`/candidates/${sandra.personId}?link=requested#signing-link`);
  expect([...withoutEmail.headers.keys()]).toEqual([...withEmail.headers.keys()]);
  // Only the rate-limit counters moved: they count every request, address or not.
  expect({ ...(await snapshotDatabase()), rate_limits: [] }).toEqual({ ...before, rate_limits: [] });
  expect(sandra.email).toBeNull();

  // Both pages then say the same thing, from the same data.
  const ruthPage = await candidatePage(ruth.personId, "?link=requested");
  const sandraPage = await candidatePage(sandra.personId, "?link=requested");
  expect(ruthPage.linkRequested).toBe(true);
  expect(sandraPage.linkRequested).toBe(true);
  expect(sandraPage.contactEmail).toBe(campaign.fromEmail);
});

test("one client asking for more than 10 signing links an hour gets a 429 page saying when to retry, never cached", async () => {
  const { ruth, felix, edward, sandra } = await setUp();
  const people = [ruth.personId, felix.personId, edward.personId, sandra.personId];
  for (let i = 0; i < 10; i++) {
    expect((await requestLinkOnPage(people[i % 4]!, {}, "198.51.100.40")).status).toBe(302);
  }
  const mailsBefore = (await outboxRows()).length;
  const limited = await requestLinkOnPage(sandra.personId, {}, "198.51.100.40");
  expect(limited.status).toBe(429);
  const retryAfter = Number(limited.headers.get("Retry-After"));
  // Seconds until the hour that began with the first request ends: not a fixed guess.
  expect(retryAfter).toBeGreaterThan(3_000);
  expect(retryAfter).toBeLessThanOrEqual(3_600);
  expect(await limited.json()).toEqual({ retryAfterSeconds: retryAfter });
  expect(await outboxRows()).toHaveLength(mailsBefore);
  // The page that shows the 429 passes the header on, and is not cached like the public page.
  const pageHeaders = new Headers(
    candidateHeaders({
      errorHeaders: limited.headers,
      loaderHeaders: new Headers(),
      actionHeaders: new Headers(),
      parentHeaders: new Headers(),
    }),
  );
  expect(pageHeaders.get("Retry-After")).toBe(String(retryAfter));
  expect(pageHeaders.get("Cache-Control")).toBe("no-store");
  // Another client is not held up.
  expect((await requestLinkOnPage(sandra.personId, {}, "198.51.100.41")).status).toBe(302);
});

test("a withdrawn candidate's page sends no link", async () => {
  const { felix } = await setUp();
  await writeTransaction(db, () =>
    db.update(candidacies).set({ status: "withdrawn" }).where(eq(candidacies.id, felix.id)),
  );
  const before = await snapshotDatabase();
  const response = await requestLinkOnPage(felix.personId);
  expect(response.headers.get("Location")).toBe(`/candidates/${felix.personId}?link=requested#signing-link`);
  // Only the client's rate-limit counter moves (and the day's client-hash key, made on first use).
  expect({ ...(await snapshotDatabase()), rate_limits: [], app_secrets: [] }).toEqual({
    ...before,
    rate_limits: [],
    app_secrets: [],
  });
  expect((await candidatePage(felix.personId)).candidacy.status).toBe("withdrawn");
});

test("the candidate page shows name, party, constituency, each answer with its date, the statement, the trust mark, and how many asked", async () => {
  const { seat, ruth, felix, points } = await setUp();
  for (let i = 0; i < 4; i++)
    await insertConfirmedAsk({ constituencyCode: seat.gssCode, email: `s${i}@example.org`, candidacyIds: [ruth.id] });
  // An ask to someone else, and an unconfirmed one, do not count.
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    email: "felix-only@example.org",
    candidacyIds: [felix.id],
  });
  await submitAsk({
    ask: buildAsk({
      constituencyCode: seat.gssCode,
      name: "Pending Person",
      email: "pending@example.org",
      candidacyIds: [ruth.id],
    }),
    clientIp: "198.51.100.1",
    now: new Date(),
  });

  let page = await candidatePage(ruth.personId);
  expect(page.asked).toEqual({ exact: false, below: 5 });
  expect(page.history).toEqual([]);
  expect(page.trustMark).toBeNull();

  const token = await linkFor(ruth.id);
  expect((await postLink(token, answersForm(points, threeAndOne, "My reasons."))).status).toBe(302);
  await insertConfirmedAsk({
    constituencyCode: seat.gssCode,
    email: "s5@example.org",
    candidacyIds: [ruth.id, felix.id],
  });

  page = await candidatePage(ruth.personId);
  expect(page.candidacy).toMatchObject({
    name: "Ruth Adeyemi",
    partyName: "Labour Party",
    constituencyName: "Brackenby Vale",
    constituencySlug: "brackenby-vale",
    status: "standing",
  });
  expect(page.asked).toEqual({ exact: true, n: 5 });
  expect(page.trustMark).toBe("verified-by-email");
  expect(page.statement).toBe("My reasons.");
  expect(page.points.map((p) => [p.title, p.answer])).toEqual(points.map((p, i) => [p.title, threeAndOne[i]]));
  const answeredAt = page.points[0]!.answeredAt!;
  expect(Date.now() - Date.parse(answeredAt)).toBeLessThan(60_000);
  expect(page.points.every((p) => p.answeredAt === answeredAt)).toBe(true);
  expect(page.history).toMatchObject([
    {
      createdAt: answeredAt,
      trustMark: "verified-by-email",
      answers: Object.fromEntries(points.map((p, i) => [String(p.id), threeAndOne[i]])),
      statement: "My reasons.",
      evidenceUrl: null,
    },
  ]);
  expect((await candidatePage(felix.personId)).asked).toEqual({ exact: false, below: 5 });
  await expect(candidatePage("999999999")).rejects.toThrow();
});

test("the constituency page shows each candidate's answers, and the ask form thanks those who signed every point instead of asking them", async () => {
  const { seat, ruth, felix, points } = await setUp();
  const constituency = async () =>
    constituencyLoader({
      request: new Request(`http://localhost/constituencies/${seat.slug}`),
      params: { slug: seat.slug },
      context: {},
    });
  const status = async (personId: string) => {
    const candidate = (await constituency()).candidates.find((c) => c.personId === personId);
    return candidate ? { pledge: candidate.pledge, signed: candidate.signed } : undefined;
  };
  expect(await status(ruth.personId)).toEqual({ pledge: "no-answer", signed: 0 });

  await postLink(await linkFor(ruth.id), answersForm(points, threeAndOne));
  await postLink(await linkFor(felix.id), answersForm(points, ["declined", "declined", "none", "none"]));
  expect(await status(ruth.personId)).toEqual({ pledge: "signed-some", signed: 3 });
  expect(await status(felix.personId)).toEqual({ pledge: "declined", signed: 0 });
  let form = await askLoader({
    request: new Request(`http://localhost/constituencies/${seat.slug}/ask`),
    params: { slug: seat.slug },
    context: {},
  });
  expect(form.signed).toEqual([]);
  expect(form.candidates.map((c) => c.personId)).toContain(ruth.personId);

  await postLink(await linkFor(ruth.id), answersForm(points, ["signed", "signed", "signed", "signed"]));
  expect(await status(ruth.personId)).toEqual({ pledge: "signed-all", signed: 4 });
  form = await askLoader({
    request: new Request(`http://localhost/constituencies/${seat.slug}/ask`),
    params: { slug: seat.slug },
    context: {},
  });
  expect(form.signed).toEqual([{ id: ruth.id, personId: ruth.personId, name: "Ruth Adeyemi" }]);
  expect(form.candidates.map((c) => c.personId)).not.toContain(ruth.personId);
  expect(form.values.candidacyIds).not.toContain(String(ruth.id));
  expect(form.values.candidacyIds).toHaveLength(4);
  expect(await db.select().from(askRecipients)).toEqual([]);
});

test("signing links never appear in the logs: not when opened, posted, refused, renewed or mailed", async () => {
  const { ruth, points } = await setUp();
  const logged: unknown[][] = [];
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args);
    });
  }

  const expired = await linkFor(ruth.id, new Date(Date.now() - 31 * DAY));
  await postLink(expired, { intent: "fresh-link" });
  await requestLinkOnPage(ruth.personId);
  const tokens = (await outboxRows("signing-link")).map((m) => tokenIn(m.textBody, "pledge/sign"));
  expect(tokens).toHaveLength(2);
  const [token] = tokens as [string, string];
  await openLink(token);
  await openLink(token, "HEAD");
  await postLink(token, answersForm(points, ["maybe"]));
  await postLink(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, answersForm(points, threeAndOne));
  await postLink(token, answersForm(points, threeAndOne, "Logged nowhere."));
  await drainOutbox({ transport: createMailTransport(), now: new Date() });
  // The worker, as the server runs it, reports what it sent.
  await requestLinkOnPage(ruth.personId);
  const last = tokenIn((await outboxRows("signing-link")).at(-1)!.textBody, "pledge/sign");
  const worker = startMailWorker({ transport: createMailTransport(), intervalMs: 60_000 });
  await vi.waitFor(async () => expect((await outboxRows()).every((m) => m.status === "sent")).toBe(true));
  await worker.stop();

  const allTokens = [expired, ...tokens, last];
  expect(new Set(allTokens).size).toBe(4);
  const text = logged
    .map((args) => args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" "))
    .join("\n");
  expect(text).toMatch(/^Mail: 1 sent/m);
  for (const t of allTokens) {
    expect(text).not.toContain(t.slice(0, 16));
    expect(text).not.toContain(hashToken(t));
  }
  // Once sent, the outbox keeps no working copy of any link either.
  expect(
    (await outboxRows())
      .filter((m) => m.textBody.includes("/pledge/sign/"))
      .every((m) => m.textBody.includes("/pledge/sign/[removed once sent]")),
  ).toBe(true);
  expect(JSON.stringify((await snapshotDatabase()).outbox)).not.toMatch(anyLinkTo("pledge/sign"));
});
