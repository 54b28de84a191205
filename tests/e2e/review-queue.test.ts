import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { generateTOTP } from "@epic-web/totp";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { useBrowser } from "./use-browser";
import { dwellLikeAPerson, waitFor } from "./wait-for";
import type { AppServer } from "../../scripts/app-server";
import { linkIn } from "../links";

// Launch day, on a phone, with JavaScript on and off: a supporter's ask from a
// disposable address is held at confirmation; an admin signs in, finds it in
// the review queue, releases it and sees its mails sent; pauses all sending;
// downloads the supporters who asked for updates; and finds each step in the
// audit log. Each run has its own server, so its pause and queue are its own.
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const admin = "lead@campaign.example";
const password = "harbour lights over the estuary";
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

async function phonePage(js: "on" | "off") {
  const page = await browsers[js].context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

/** Rows from the server's database, read-only, as the test sees what the app did. */
function query<T>(app: AppServer, sql: string, ...params: unknown[]): T[] {
  const sqlite = new Database(app.databasePath, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare(sql).all(...params) as T[];
  } finally {
    sqlite.close();
  }
}

async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${page.url()} ${v.id}: ${v.help}`)).toEqual([]);
}

async function expectNoSidewaysScroll(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

/** An admin from `npm run staff:add`, set up with a password and a TOTP app; returns a recovery code for signing in. */
async function setUpAdmin(app: AppServer, page: Page) {
  const run = spawnSync("npm", ["run", "--silent", "staff:add", "--", "--email", admin, "--role", "admin"], {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_PATH: app.databasePath },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`npm run staff:add failed:\n${run.stdout}\n${run.stderr}`);
  const printed = run.stdout.split("\n").find((line) => /^https?:\/\//.test(line.trim()))!;
  await page.goto(`${app.baseUrl}${new URL(printed.trim()).pathname}`);
  await page.getByRole("heading", { level: 1, name: "Set up your staff account" }).waitFor();
  const secret = ((await page.locator("code.secret-key").textContent()) ?? "").replace(/\s+/g, "");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Enter the password again").fill(password);
  await page.getByLabel("Code from the app").fill((await generateTOTP({ secret, period: 30 })).otp);
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("heading", { level: 1, name: "Your account is set up" }).waitFor();
  const codes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
  await expect.poll(() => codes.count()).toBe(10);
  return ((await codes.first().textContent()) ?? "").trim();
}

/** A supporter's ask from the form to its confirmation, from a disposable-mail address. */
async function askAndConfirm(app: AppServer, page: Page, email: string) {
  await page.goto(`${app.baseUrl}/constituencies/brackenby-vale/ask`);
  await page.getByRole("heading", { name: "Ask your candidates to sign the pledge" }).waitFor();
  await page.getByLabel("Your name").fill("Pat Held");
  await page.getByLabel("Your email address").fill(email);
  await page.getByLabel("Your postcode").fill("ZZ4 1AA");
  await page.getByLabel(/Email me campaign updates/).check();
  await dwellLikeAPerson(page);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Check your message before sending" }).waitFor();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  await page.getByRole("heading", { name: "Check your email" }).waitFor();
  const [mail] = await waitFor("the confirmation mail", () => {
    const rows = query<{ text: string }>(app, "select text_body as text from mailbox where to_address = ?", email);
    return rows.length > 0 ? rows : undefined;
  });
  await page.goto(linkIn(mail!.text, "asks/confirm"));
  await page.getByRole("heading", { name: "Send your message" }).waitFor();
  await page.getByRole("button", { name: "Send my message" }).click();
  // The supporter sees what any supporter sees: nothing says it was held.
  await page.getByRole("heading", { name: "Message sent" }).waitFor();
}

for (const js of ["on", "off"] as const) {
  describe(`JavaScript ${js}`, () => {
    let app: AppServer;

    beforeAll(async () => {
      app = await startFixtureServer();
    });

    afterAll(async () => {
      await app?.stop();
    });

    test("a held ask is released and sent, sending is paused, the opted-in supporters are downloaded, and the audit log shows it all", async () => {
      const checkAccessibility = js === "on" ? expectNoAxeViolations : async () => {};
      const supporterEmail = `pat-${js}@mailinator.com`;
      const supporter = await phonePage(js);
      await askAndConfirm(app, supporter, supporterEmail);
      const [ask] = query<{ id: number; status: string }>(
        app,
        "select id, status from asks where email = ?",
        supporterEmail,
      );
      expect(ask!.status).toBe("held");
      expect(
        query(app, "select 1 from outbox where ask_id = ? and kind = 'candidate-ask' and status != 'held'", ask!.id),
      ).toEqual([]);

      const page = await phonePage(js);
      const recoveryCode = await setUpAdmin(app, page);
      await page.goto(`${app.baseUrl}/staff/review`);
      await page.getByRole("heading", { level: 1, name: "Sign in to the staff console" }).waitFor();
      await page.getByLabel("Email address").fill(admin);
      await page.getByLabel("Password").fill(password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.getByRole("heading", { level: 1, name: "Enter your code" }).waitFor();
      await page.getByLabel("Code", { exact: true }).fill(recoveryCode);
      await page.getByRole("button", { name: "Continue" }).click();

      // Back where the sign-in started: the review queue, with the held ask and why.
      await page.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
      const card = page
        .getByRole("listitem")
        .filter({ has: page.getByRole("heading", { name: `Ask ${ask!.id}: Pat Held, Brackenby Vale` }) });
      await card.getByText("A disposable email address").waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-review-queue-js-${js}.png`, fullPage: true });
      // The ask's own page: why it was held, and blocking where it came from.
      await card.getByRole("link", { name: `Reject or block ask ${ask!.id}` }).click();
      await page.getByRole("heading", { level: 1, name: `Ask ${ask!.id}: Pat Held` }).waitFor();
      await page.getByRole("button", { name: "Block the domain mailinator.com" }).click();
      await page.getByText("This email domain is on the block list now.").waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.getByRole("link", { name: "Back to the review queue" }).click();
      await page.getByRole("heading", { level: 1, name: "Review queue" }).waitFor();
      await card.getByRole("button", { name: `Release ask ${ask!.id}` }).click();
      await page.getByText(`Ask ${ask!.id} was released: its mails are on their way.`).waitFor();
      await page.getByText("No asks are waiting for review.").waitFor();

      // Its mails go out: the worker sends what was held, now queued.
      await waitFor("the released ask's mails to be sent", () => {
        const statuses = query<{ status: string }>(
          app,
          "select status from outbox where ask_id = ? and kind = 'candidate-ask'",
          ask!.id,
        );
        return statuses.length > 0 && statuses.every((s) => s.status === "sent") ? statuses : undefined;
      });

      // Pause all sending from the dashboard.
      await page.getByRole("link", { name: "Dashboard", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
      await page.getByText("Pause all sending", { exact: true }).first().click();
      await page.getByLabel("Why (for the audit log and your colleagues)").fill("A bad wording went out");
      await page.getByRole("button", { name: "Pause all sending" }).click();
      await page.getByRole("heading", { level: 2, name: "All sending is paused" }).waitFor();

      // Download the supporters who asked for updates.
      await page.getByRole("link", { name: "Supporters", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Download supporters" }).waitFor();
      await checkAccessibility(page);
      const download = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download CSV" }).click();
      const csv = readFileSync((await (await download).path())!, "utf8");
      expect(csv).toContain(supporterEmail);
      expect(csv).toContain("Email me campaign updates, including when my candidates sign");

      // The audit log has each step, by who did it.
      await page.goto(`${app.baseUrl}/staff/audit`);
      await page.getByRole("heading", { level: 1, name: "Audit log" }).waitFor();
      for (const action of ["staff.set-up", "staff.sign-in", "review.release", "sending.pause", "supporters.export"])
        await page.getByRole("cell", { name: action, exact: true }).first().waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-audit-js-${js}.png`, fullPage: true });
      // Never the supporter's address.
      expect(await page.content()).not.toContain(supporterEmail);
      await supporter.close();
      await page.close();
    });

    // Signed in by the journey above (the browser keeps its cookie): every
    // other staff page, checked as a screen-reader or keyboard user meets it.
    const otherPages = [
      "/staff/outbox",
      "/staff/outbox/1",
      "/staff/block-list",
      "/staff/public-list",
      "/staff/accounts",
    ];
    for (const path of otherPages) {
      test(`${path} fits a phone${js === "on" ? " and passes axe" : ""}`, async () => {
        const page = await phonePage(js);
        await page.goto(`${app.baseUrl}${path}`);
        await page.getByText(`Signed in as ${admin}`).waitFor();
        await expectNoSidewaysScroll(page);
        if (js === "on") await expectNoAxeViolations(page);
        await page.close();
      });
    }
  });
}
