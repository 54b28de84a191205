import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestMailServer, type ReceivedMail, type TestMailServer } from "../mail-server";
import { dwellLikeAPerson, gotoUntil, waitFor } from "./wait-for";
import { fixtureCampaign } from "../fixture-election";
import { startFixtureServer } from "./fixture-server";
import { useBrowser } from "./use-browser";
import type { AppServer } from "../../scripts/app-server";
import { linkIn } from "../links";

// The candidate journey on the built server with a real SMTP server: an ask
// reaches a candidate, who opens the link from the delivered mail, answers,
// and the public pages and the supporter who asked for updates hear of it.
const browser = useBrowser();
let smtp: TestMailServer;
let app: AppServer;

const titles = fixtureCampaign.points.map((p) => p.title);

beforeAll(async () => {
  smtp = await startTestMailServer();
  app = await startFixtureServer({ env: { SMTP_URL: smtp.url } });
});

afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

function mailTo(address: string, subject: string | RegExp) {
  return smtp.received.filter(
    (m) =>
      m.envelope.to.includes(address) &&
      (typeof subject === "string" ? m.parsed.subject === subject : subject.test(m.parsed.subject ?? "")),
  );
}

/** Mail the worker has yet to hand to the SMTP server, read from the server's own database. */
async function unsentMail() {
  const [row] = await app.query<{ n: number }>(
    "select cast(count(*) as integer) as n from outbox where status in ('queued', 'sending')",
  );
  return row?.n ?? 0;
}

/** The pledge tables of the server's own database, read without writing, each in the order of its primary key. */
async function pledgeTables() {
  const tables: Record<string, unknown[]> = {};
  for (const [t, key] of [
    ["signing_tokens", "id"],
    ["pledges", "candidacy_id"],
    ["pledge_point_answers", "candidacy_id, point_id"],
    ["pledge_history", "id"],
    ["audit_log", "id"],
  ] as const) {
    tables[t] = await app.query(`select * from "${t}" order by ${key}`);
  }
  return tables;
}

function candidateCell(page: Page, name: string) {
  return page
    .getByRole("table", { name: "Candidates standing in Brackenby Vale" })
    .getByRole("row", { name: new RegExp(name) })
    .getByRole("cell")
    .nth(1);
}

/** From the constituency page (where the supporter first sees who has answered) to a confirmed ask. */
async function askWithUpdates(page: Page, { name, email }: { name: string; email: string }) {
  await page.goto(`${app.baseUrl}/constituencies/brackenby-vale?postcode=ZZ4%201AA`);
  await expect.poll(() => candidateCell(page, "Ruth Adeyemi").textContent()).toBe("No answer yet");
  await page.getByRole("link", { name: "Ask your candidates to sign" }).click();
  await page.getByRole("heading", { name: "Ask your candidates to sign the pledge" }).waitFor();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Your email address").fill(email);
  await page.getByLabel("Email me campaign updates, including when my candidates sign").check();
  await dwellLikeAPerson(page);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Check your message before sending" }).waitFor();
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();

  const confirmation = await waitFor("the confirmation mail", () => mailTo(email, /^Confirm your message/)[0]);
  await page.goto(linkIn(confirmation.parsed.text ?? "", "asks/confirm"));
  await page.getByRole("button", { name: "Send my message" }).click();
  await page.getByRole("heading", { name: "Message sent" }).waitFor();
}

test("an ask reaches a candidate, who signs three points and declines one through the mailed link; the pages and the supporter hear of it", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${app.baseUrl}/candidates/900346`);
  await page.getByText("Has not answered the pledge yet.").waitFor();
  await askWithUpdates(page, { name: "Rajan Nair", email: "rajan@example.org" });

  const askMail = await waitFor(
    "the ask to Ruth Adeyemi",
    () => mailTo("ruth.adeyemi@example.net", /^Will you sign/)[0],
  );
  const signingLink = linkIn(askMail.parsed.text ?? "", "pledge/sign");
  expect(signingLink.startsWith(`${app.baseUrl}/pledge/sign/`)).toBe(true);

  // Opening the link (a mail scanner's HEAD, the candidate's GET) changes nothing.
  const before = await pledgeTables();
  const head = await fetch(signingLink, { method: "HEAD" });
  expect(head.status).toBe(200);
  expect(head.headers.get("cache-control")).toBe("no-store");
  expect(head.headers.get("referrer-policy")).toBe("strict-origin");
  const subresources: Request[] = [];
  page.on("request", (request) => {
    if (request.url() !== signingLink) subresources.push(request);
  });
  const response = await page.goto(signingLink);
  expect(response?.status()).toBe(200);
  const headers = await response!.allHeaders();
  expect(headers["cache-control"]).toBe("no-store");
  expect(headers["referrer-policy"]).toBe("strict-origin");
  await page.getByRole("heading", { level: 1, name: "Sign the pledge" }).waitFor();
  await page.getByText("Ruth Adeyemi, Labour Party, Brackenby Vale").waitFor();
  expect(await pledgeTables()).toEqual(before);
  // What the page loads does not carry the link on as a referrer.
  expect(subresources.length).toBeGreaterThan(0);
  const token = signingLink.split("/").pop()!;
  for (const request of subresources) expect((await request.allHeaders()).referer ?? "").not.toContain(token);
  page.removeAllListeners("request");

  for (const [i, title] of titles.entries()) {
    const point = page.getByRole("group", { name: `${i + 1}. ${title}` });
    await point.getByLabel(i < 3 ? "I sign this point" : "I do not sign this point", { exact: true }).check();
  }
  const statement = "I back safe routes and fair decisions. Point 4 needs <b>costed</b> plans first.";
  await page.getByLabel("A public statement (optional)").fill(statement);
  await page.getByRole("button", { name: "Confirm my answers" }).click();

  await page.getByRole("heading", { name: "Thank you: your answers are recorded" }).waitFor();
  expect(page.url()).toMatch(new RegExp(`^${app.baseUrl}/candidates/900346\\?recorded=\\d+$`));
  await page.getByRole("heading", { level: 1, name: "Ruth Adeyemi" }).waitFor();
  await page.getByText("Has signed 3 of the 4 points of the pledge.").waitFor();
  await page.getByText("Verified by email", { exact: true }).waitFor();
  const rows = page.getByRole("table", { name: "Answers to each point of the pledge" }).getByRole("row");
  await expect.poll(() => rows.count()).toBe(5);
  const answers = await rows.evaluateAll((trs) => trs.slice(1).map((tr) => tr.querySelector("td")?.textContent ?? ""));
  expect(answers).toHaveLength(4);
  expect(answers.map((a) => a.replace(/ on \d{1,2} \w{3} \d{4}$/, ""))).toEqual([
    "Signed",
    "Signed",
    "Signed",
    "Declined",
  ]);
  for (const a of answers) expect(a).toMatch(/ on \d{1,2} \w{3} \d{4}$/);
  // The statement is shown as the candidate typed it, as text.
  const shown = page.getByText(statement, { exact: true });
  expect(await shown.evaluate((el) => el.children.length)).toBe(0);
  await page.getByText("Fewer than 5 constituents have asked Ruth Adeyemi to sign.").waitFor();

  // The same pages seen before she answered now show it. They are public,
  // cacheable pages the browser saw before, so they are fetched until they do.
  await gotoUntil(page, `${app.baseUrl}/candidates/900346`, "the candidate page to show her answers", (p) =>
    p.getByText("Has signed 3 of the 4 points of the pledge.").isVisible(),
  );
  await gotoUntil(
    page,
    `${app.baseUrl}/constituencies/brackenby-vale?postcode=ZZ4%201AA`,
    "the constituency page to show her answers",
    // Her row says how the pledge is known and when, as the board's does.
    async (p) =>
      /^Signed 3 of 4\nVerified by email, \d{1,2} [A-Z][a-z]{2} \d{4}$/.test(
        await candidateCell(p, "Ruth Adeyemi").innerText(),
      ),
  );

  const notice = await waitFor(
    "the 'they signed' mail to the supporter",
    () => mailTo("rajan@example.org", `Ruth Adeyemi has signed some points of the ${fixtureCampaign.name} pledge`)[0],
  );
  expect(notice.parsed.text).toContain("They have signed 3 of the 4 points of the pledge.");
  expect(notice.parsed.text).toContain(`${app.baseUrl}/candidates/900346`);
  const confirmation = await waitFor(
    "the confirmation to Ruth",
    () => mailTo("ruth.adeyemi@example.net", `Your answers to the ${fixtureCampaign.name} pledge are recorded`)[0],
  );
  expect(confirmation.parsed.text).toContain(statement);
  expect(confirmation.parsed.text).toContain("Not you?");
  // One notice, to the one supporter who asked for updates; the other candidates are not yet in it.
  expect(
    smtp.received.filter((m: ReceivedMail) => / has signed /.test(m.parsed.subject ?? "")).map((m) => m.envelope.to),
  ).toEqual([["rajan@example.org"]]);

  const tables = await pledgeTables();
  expect(tables.pledge_history!.length).toBe(before.pledge_history!.length + 1);
  expect(tables.pledges).toContainEqual(
    expect.objectContaining({ statement, trust_mark: "verified-by-email", evidence_url: null }),
  );

  // Ruth comes back through the same mail's link and signs point 4 too: her answers are there to change.
  await page.goto(signingLink);
  const point4 = page.getByRole("group", { name: `4. ${titles[3]}` });
  await expect.poll(() => point4.getByLabel("I do not sign this point", { exact: true }).isChecked()).toBe(true);
  await expect.poll(() => page.getByLabel("A public statement (optional)").inputValue()).toBe(statement);
  await point4.getByLabel("I sign this point", { exact: true }).check();
  await page.getByRole("button", { name: "Confirm my answers" }).click();
  await page.getByText("Has signed every point of the pledge.").waitFor();
  expect(page.url()).toMatch(new RegExp(`^${app.baseUrl}/candidates/900346\\?recorded=\\d+$`));
  await page.getByText(/^First answered on \d{1,2} \w{3} \d{4}; updated on \d{1,2} \w{3} \d{4}\.$/).waitFor();
  await page.getByText("Every change (2)").waitFor();
  // Each version says what it answered, not just when: the first declined point 4.
  await page.getByText("Every change (2)").click();
  const firstVersion = page
    .getByRole("listitem")
    .filter({ has: page.getByRole("heading", { name: /^First answers, given on / }) });
  await firstVersion
    .getByRole("listitem")
    .filter({ hasText: `4. ${titles[3]}` })
    .getByText("Declined", { exact: true })
    .waitFor();
  await firstVersion.getByText(statement, { exact: true }).waitFor();

  // Now the ask form thanks her instead of asking her.
  await gotoUntil(
    page,
    `${app.baseUrl}/constituencies/brackenby-vale?postcode=ZZ4%201AA`,
    "the constituency page to show her new answers",
    async (p) => /^Signed every point\nVerified by email, /.test(await candidateCell(p, "Ruth Adeyemi").innerText()),
  );
  await page.getByRole("link", { name: "Ask your candidates to sign" }).click();
  await page.getByRole("link", { name: "Thank Ruth Adeyemi" }).waitFor();
  const boxes = page.getByRole("group", { name: "Who do you want to write to?" }).getByRole("checkbox");
  await expect.poll(() => boxes.count()).toBe(4);
  await expect
    .poll(() =>
      page
        .getByRole("group", { name: "Who do you want to write to?" })
        .getByLabel(/Ruth Adeyemi/)
        .count(),
    )
    .toBe(0);

  // Rajan was told once; the second confirmation reaches Ruth, and nothing more reaches him.
  await waitFor(
    "the second confirmation to Ruth",
    () => mailTo("ruth.adeyemi@example.net", `You signed the ${fixtureCampaign.name} pledge`)[0],
  );
  expect(mailTo("rajan@example.org", /has signed/)).toHaveLength(1);
  await page.close();
});

test("'Email me a signing link' goes only to the published address, and the page answers the same when there is none", async () => {
  const page = await browser.context.newPage();
  const statusText: string[] = [];
  for (const [personId, name] of [
    ["900644", "Sandra Hebblethwaite"],
    ["900064", "Zoë Pembridge"],
  ] as const) {
    await page.goto(`${app.baseUrl}/candidates/${personId}`);
    const section = page.getByRole("region", { name: `Are you ${name}?` });
    await section
      .getByText(
        "we send it only to the email address published for you by Democracy Club, never to an address typed here",
      )
      .waitFor();
    await section
      .getByText(/If no email address is published for you, add one on Democracy Club's candidates site/)
      .waitFor();
    expect(await section.getByRole("textbox").count()).toBe(0);
    await section.getByRole("button", { name: "Email me a signing link" }).click();
    const status = page.getByRole("status").filter({ hasText: "we have sent a signing link" });
    await status.waitFor();
    expect(page.url()).toBe(`${app.baseUrl}/candidates/${personId}?link=requested#signing-link`);
    statusText.push(((await status.textContent()) ?? "").replace(name, "NAME"));
  }
  expect(statusText).toEqual([
    "If we have an email address published for NAME, we have sent a signing link to it. It can take a few minutes to arrive.",
    "If we have an email address published for NAME, we have sent a signing link to it. It can take a few minutes to arrive.",
  ]);

  const mail = await waitFor(
    "Zoë's signing link",
    () => mailTo("zoe.pembridge@example.org", `Your link to sign the ${fixtureCampaign.name} pledge`)[0],
  );
  expect(linkIn(mail.parsed.text ?? "", "pledge/sign").startsWith(`${app.baseUrl}/pledge/sign/`)).toBe(true);
  // Sandra asked first and has no published address: once everything queued
  // has gone (Zoë's link included), nothing went anywhere for her.
  await waitFor("the outbox to be sent", async () => (await unsentMail()) === 0 || undefined);
  expect(
    smtp.received
      .filter((m) => m.parsed.subject === `Your link to sign the ${fixtureCampaign.name} pledge`)
      .map((m) => m.envelope.to),
  ).toEqual([["zoe.pembridge@example.org"]]);
  await page.close();
});
