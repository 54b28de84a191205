import { afterAll, beforeAll, expect, inject, test } from "vitest";
import type { Page } from "playwright-core";
import { startTestMailServer, type ReceivedMail, type TestMailServer } from "../mail-server";
import { dwellLikeAPerson, gotoUntil, waitFor } from "./wait-for";
import { fixtureCampaign } from "../fixture-election";
import { startFixtureServer } from "./fixture-server";
import { useBrowser } from "./use-browser";
import type { AppServer } from "../../scripts/app-server";
import { linkIn } from "../links";

// The supporter journey twice: with a real SMTP server (its own app server,
// SMTP_URL set), and with the default local mailbox a laptop user gets.
const browser = useBrowser();
let smtp: TestMailServer;
let app: AppServer;

beforeAll(async () => {
  smtp = await startTestMailServer();
  app = await startFixtureServer({ env: { SMTP_URL: smtp.url } });
});

afterAll(async () => {
  await app?.stop();
  await smtp?.close();
});

/** Postcode → constituency → the ask form, filled in and sent. Returns the page on "Check your email". */
async function askFromPostcode(page: Page, baseUrl: string, { name, email }: { name: string; email: string }) {
  await page.goto(baseUrl);
  await page.getByLabel("Enter your postcode").fill("zz4 1aa");
  await page.getByRole("button", { name: /find/i }).click();
  await page.getByRole("heading", { level: 1, name: "Brackenby Vale" }).waitFor();
  await page.getByRole("link", { name: "Ask your candidates to sign" }).click();
  await page.getByRole("heading", { name: "Ask your candidates to sign the pledge" }).waitFor();

  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Your email address").fill(email);
  await expect.poll(() => page.getByLabel("Your postcode").inputValue()).toBe("ZZ4 1AA");
  // Every standing candidate is ticked by default.
  const boxes = page.getByRole("group", { name: "Who do you want to write to?" }).getByRole("checkbox");
  await expect.poll(() => boxes.count()).toBe(5);
  for (let i = 0; i < 5; i++) await expect.poll(() => boxes.nth(i).isChecked()).toBe(true);
  await page.getByLabel("Add something in your own words (optional)").fill("My grandparents came here as refugees.");
  await page.getByLabel(/Show my first name and the initial of my last name/).check();
  await dwellLikeAPerson(page);
  await page.getByRole("button", { name: "Continue" }).click();

  await page.getByRole("heading", { name: "Check your message before sending" }).waitFor();
  await expect
    .poll(() => page.locator(".mail-preview").textContent())
    .toContain("My grandparents came here as refugees.");
  await page.getByRole("button", { name: "Send" }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
}

async function confirmFromLink(page: Page, link: string) {
  await page.goto(link);
  await page.getByRole("heading", { name: "Send your message" }).waitFor();
  await page.getByRole("button", { name: "Send my message" }).click();
  await page.getByRole("heading", { name: "Message sent" }).waitFor();
}

test("postcode → candidates → ask → confirmation mail → button → mails to candidates over SMTP → public list", async () => {
  const page = await browser.context.newPage();
  await askFromPostcode(page, app.baseUrl, { name: "Rajan Nair", email: "rajan@example.org" });

  const confirmation = await waitFor("the confirmation mail", () =>
    smtp.received.find((m) => m.envelope.to.includes("rajan@example.org")),
  );
  expect(confirmation.parsed.subject).toBe("Confirm your message to candidates in Brackenby Vale");
  // Nothing has gone to a candidate before the supporter confirms.
  expect(smtp.received).toHaveLength(1);

  await confirmFromLink(page, linkIn(confirmation.parsed.text ?? "", "asks/confirm"));

  const candidateMails = await waitFor("the four candidate mails", () => {
    const mails = smtp.received.filter((m) => m.parsed.subject?.startsWith("Will you sign"));
    return mails.length === 4 ? mails : undefined;
  });
  const recipients = candidateMails.flatMap((m: ReceivedMail) => m.envelope.to).sort();
  expect(recipients).toEqual([
    "edward.fairbrother@example.org",
    "felix@example.net",
    "ruth.adeyemi@example.net",
    "zoe.pembridge@example.org",
  ]);
  for (const mail of candidateMails) {
    expect(mail.parsed.replyTo?.value.map((a) => a.address)).toEqual(["rajan@example.org"]);
    expect(mail.parsed.from?.value[0]?.address).toBe(fixtureCampaign.fromEmail);
    expect(mail.parsed.text).toContain("My grandparents came here as refugees.");
  }

  // Listed once the confirmed ask is committed; the list is fetched again until then.
  await gotoUntil(page, `${app.baseUrl}/supporters`, "Rajan on the supporters list", (p) =>
    p.getByText(/^Rajan N · /).isVisible(),
  );
  // The whole document, loader data included, after the page has loaded: the surname is nowhere.
  expect(await page.content()).not.toContain("Nair");
  await gotoUntil(page, `${app.baseUrl}/constituencies/brackenby-vale`, "Rajan on the constituency page", (p) =>
    p.getByText(/^Rajan N · /).isVisible(),
  );
  await page.close();
});

test("with no SMTP server, the same journey works through the local mailbox in the browser", async () => {
  const baseUrl = inject("baseUrl");
  const page = await browser.context.newPage();
  await page.goto(baseUrl);
  await page.getByText("Mail is not being sent").first().waitFor();
  await askFromPostcode(page, baseUrl, { name: "Ffion Hughes", email: "ffion@example.org" });

  // The mailbox lists the confirmation once the in-process worker has delivered it.
  const subject = "Confirm your message to candidates in Brackenby Vale";
  await waitFor("the confirmation in the local mailbox", async () => {
    await page.goto(`${baseUrl}/outbox`);
    return (await page.getByRole("link", { name: subject }).count()) > 0 || undefined;
  });
  await page.getByRole("link", { name: subject }).first().click();
  await page.getByRole("heading", { name: subject }).waitFor();
  expect(page.url()).toMatch(/\/outbox\/\d+$/);
  const link = linkIn((await page.locator("main").textContent()) ?? "", "asks/confirm");
  await confirmFromLink(page, link);

  await waitFor("the candidate mails in the local mailbox", async () => {
    await page.goto(`${baseUrl}/outbox`);
    return (await page.getByRole("link", { name: /^Will you sign/ }).count()) >= 4 || undefined;
  });
  await gotoUntil(page, `${baseUrl}/supporters`, "Ffion on the supporters list", (p) =>
    p.getByText(/^Ffion H · /).isVisible(),
  );
  await page.close();
});
