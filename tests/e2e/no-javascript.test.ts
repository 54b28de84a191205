import { request as httpRequest } from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { waitFor } from "./wait-for";
import { fixtureCampaign } from "../fixture-election";
import { startFixtureServer } from "./fixture-server";
import { useBrowser } from "./use-browser";
import type { AppServer } from "../../scripts/app-server";
import { linkIn } from "../links";

// The two journeys that end in an emailed button, in a browser with
// JavaScript off on a phone-sized screen: every form posts as plain HTML, and
// the button behind each emailed link must work (it once answered 500, as the
// page's no-referrer policy made the browser send `Origin: null`). Checked
// down to the rows the server wrote and the mail it sent, through the local
// mailbox at /outbox. Its own server, so its asks and pledges are its own.
const browser = useBrowser({ javaScriptEnabled: false });
let app: AppServer;

const titles = fixtureCampaign.points.map((p) => p.title);
// The secrets the journeys handle, for the check that no log line holds one.
const tokens: string[] = [];

beforeAll(async () => {
  app = await startFixtureServer();
});

afterAll(async () => {
  await app?.stop();
});

async function phonePage() {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

/** The server's own database, read without writing (SQLite or PostgreSQL: AppServer.query). */
function query<T>(sql: string, ...params: unknown[]) {
  return app.query<T>(sql, params);
}

/** Opens the newest local-mailbox message with this subject (it arrives when the worker has run). */
async function openMail(page: Page, subject: string | RegExp) {
  await waitFor(`"${subject}" in the local mailbox`, async () => {
    await page.goto(`${app.baseUrl}/outbox`);
    return (await page.getByRole("link", { name: subject }).count()) > 0 || undefined;
  });
  await page.getByRole("link", { name: subject }).first().click();
  await page.getByRole("heading", { level: 1, name: subject }).waitFor();
  return (await page.getByRole("main").textContent()) ?? "";
}

/** A POST as another site's form would send it: the browser says where it came from. */
function crossSitePost(url: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: "POST",
        headers: {
          Origin: "https://evil.example",
          "Sec-Fetch-Site": "cross-site",
          "Content-Type": "application/x-www-form-urlencoded",
        },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end("");
  });
}

test("without JavaScript, a supporter goes from postcode to a sent ask, pressing the button behind the emailed link", async () => {
  const page = await phonePage();
  const email = "nojs.supporter@example.org";
  await page.goto(app.baseUrl);
  await page.getByLabel("Enter your postcode").fill("zz4 1aa");
  await page.getByRole("button", { name: /find/i }).click();
  await page.getByRole("heading", { level: 1, name: /Brackenby Vale/ }).waitFor();
  await page.getByRole("link", { name: "Ask your candidates to sign" }).click();
  await page.getByRole("heading", { name: "Ask your candidates to sign the pledge" }).waitFor();

  await page.getByLabel("Your name").fill("Nadia Okafor");
  await page.getByLabel("Your email address").fill(email);
  await page.getByLabel("Add something in your own words (optional)").fill("Sent from a phone with scripts off.");
  // The form refuses anything filled in faster than a person could.
  await page.waitForTimeout(3_100);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Check your message before sending" }).waitFor();
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();

  const [pending] = await query<{ id: number; status: string }>("select id, status from asks where email = ?", email);
  expect(pending?.status).toBe("pending");

  const confirmLink = linkIn(
    await openMail(page, "Confirm your message to candidates in Brackenby Vale"),
    "asks/confirm",
  );
  tokens.push(confirmLink.split("/").pop()!);
  // Another site's form aimed at the link is refused with a page, and changes nothing.
  const forged = await crossSitePost(confirmLink);
  expect(forged.status).toBe(403);
  expect(forged.body).toContain("This form was sent from another website");
  expect((await query<{ status: string }>("select status from asks where id = ?", pending!.id))[0]?.status).toBe(
    "pending",
  );

  await page.goto(confirmLink);
  await page.getByRole("heading", { name: "Send your message" }).waitFor();
  await page.getByRole("button", { name: "Send my message" }).click();
  await page.getByRole("heading", { name: "Message sent" }).waitFor();

  const [confirmed] = await query<{ status: string; confirmed_at: string | null }>(
    "select status, confirmed_at from asks where id = ?",
    pending!.id,
  );
  expect(confirmed?.status).toBe("confirmed");
  expect(confirmed?.confirmed_at).not.toBeNull();
  const sent = await waitFor("the four asks to candidates sent", async () => {
    const rows = await query<{ to_address: string }>(
      "select to_address from outbox where ask_id = ? and subject like 'Will you sign%' and status = 'sent' order by to_address",
      pending!.id,
    );
    return rows.length === 4 ? rows : undefined;
  });
  expect(sent.map((r) => r.to_address)).toEqual([
    "edward.fairbrother@example.org",
    "felix@example.net",
    "ruth.adeyemi@example.net",
    "zoe.pembridge@example.org",
  ]);
  await page.close();
});

test("without JavaScript, a candidate opens the signing link from a mail, signs with a statement, and the candidate page shows it", async () => {
  const page = await phonePage();
  // The ask of the test above reached the candidate; its mail holds her link.
  const askText = await openMail(page, /^Will you sign/);
  const mails = await query<{ to_address: string; text_body: string }>(
    "select to_address, text_body from mailbox where subject like 'Will you sign%' and to_address = 'ruth.adeyemi@example.net'",
  );
  expect(mails.length).toBeGreaterThan(0);
  const signingLink = linkIn(mails[0]!.text_body, "pledge/sign");
  tokens.push(signingLink.split("/").pop()!);
  expect(askText).toContain("/pledge/sign/");

  const before = (await query<{ n: number }>("select cast(count(*) as integer) as n from pledge_history"))[0]!.n;
  const forged = await crossSitePost(signingLink);
  expect(forged.status).toBe(403);
  expect((await query<{ n: number }>("select cast(count(*) as integer) as n from pledge_history"))[0]!.n).toBe(before);

  await page.goto(signingLink);
  await page.getByRole("heading", { level: 1, name: "Sign the pledge" }).waitFor();
  for (const [i, title] of titles.entries()) {
    const point = page.getByRole("group", { name: `${i + 1}. ${title}` });
    await point.getByLabel(i < 2 ? "I sign this point" : "I do not sign this point", { exact: true }).check();
  }
  const statement = "Signed with scripts off, from my phone.";
  await page.getByLabel("A public statement (optional)").fill(statement);
  await page.getByRole("button", { name: "Confirm my answers" }).click();

  await page.getByRole("heading", { name: "Thank you: your answers are recorded" }).waitFor();
  await page.getByRole("heading", { level: 1, name: "Ruth Adeyemi" }).waitFor();
  await page.getByText("Has signed 2 of the 4 points of the pledge.").waitFor();
  await page.getByText(statement, { exact: true }).waitFor();

  const [pledge] = await query<{ statement: string; trust_mark: string }>(
    "select p.statement, p.trust_mark from pledges p join candidacies c on c.id = p.candidacy_id where c.person_id = '900346'",
  );
  expect(pledge).toEqual({ statement, trust_mark: "verified-by-email" });
  const answers = await query<{ answer: string }>(
    "select a.answer from pledge_point_answers a join candidacies c on c.id = a.candidacy_id where c.person_id = '900346' order by a.point_id",
  );
  expect(answers.map((a) => a.answer)).toEqual(["signed", "signed", "declined", "declined"]);
  expect((await query<{ n: number }>("select cast(count(*) as integer) as n from pledge_history"))[0]!.n).toBe(
    before + 1,
  );
  await waitFor(
    "the candidate's confirmation sent",
    async () =>
      (
        await query<{ id: number }>(
          `select id from outbox where to_address = 'ruth.adeyemi@example.net' and subject = 'Your answers to the ${fixtureCampaign.name} pledge are recorded' and status = 'sent'`,
        )
      )[0],
  );
  await page.close();
});

test("after the journeys and crafted requests, no log line holds a token, an email address or a postcode", async () => {
  expect(tokens).toHaveLength(2);
  const [confirmToken, signToken] = tokens;
  // Remix logs a bad ?_data= route id with the URL; these used to put the token on stderr.
  const crafted = [
    `/pledge/sign/${signToken}?_data=routes%2Ffoo`,
    `/asks/confirm/${confirmToken}?_data=routes%2Fnope`,
    `/pledge/sign/${signToken}.data`,
    `/constituencies/brackenby-vale?postcode=ZZ4%201AA&email=nojs.supporter%40example.org&_data=routes%2Fbad`,
    `/find?postcode=zz41aa&_data=routes%2Fbad`,
  ];
  for (const path of crafted) {
    const response = await fetch(`${app.baseUrl}${path}`);
    expect(response.status, path).toBeLessThan(600);
  }
  // A same-host proxy without TRUSTED_PROXY: the mailbox is not for its clients, and the operator is told once.
  for (let i = 0; i < 2; i++) {
    const forwarded = await fetch(`${app.baseUrl}/outbox`, { headers: { "X-Forwarded-For": "203.0.113.7" } });
    expect(forwarded.status).toBe(404);
  }
  expect((await fetch(`${app.baseUrl}/outbox`)).status).toBe(200);

  const output = await waitFor("the server to log the crafted requests", () => {
    const text = app.output();
    return /routes\/nope|routes%2Fnope|nope/.test(text) ? text : undefined;
  });
  expect(output.match(/TRUSTED_PROXY is not set/g)).toHaveLength(1);
  for (const token of tokens) expect(output).not.toContain(token);
  expect(output).not.toMatch(/@example\.(org|net)|%40example/);
  expect(output).not.toMatch(/zz4(\s|%20|\+)?1aa/i);
  expect(output).toContain("/pledge/sign/[token]");
});
