import { generateTOTP } from "@epic-web/totp";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { addStaff, expectNoAxeViolations } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import { waitFor } from "./wait-for";
import type { AppServer } from "../../scripts/app-server";

// A new admin's first morning, on a phone, with JavaScript on and off: the
// account made on the command line, set up through its one-time link with a
// password and an authenticator app, signed in with the password and a code,
// sending paused and resumed, and signed out. Each run has its own server:
// pausing all sending must not reach the other journeys' mail.
const email = "admin@campaign.example";
const password = "lantern meadow quietly forty";
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

async function phonePage(js: "on" | "off") {
  const page = await browsers[js].context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

/** The 30-second step a TOTP code belongs to. */
function totpStepNow() {
  return Math.floor(Date.now() / 30_000);
}

async function totpCode(secret: string) {
  return (await generateTOTP({ secret, period: 30 })).otp;
}

// Twice the suite's deadline: one journey runs axe on five pages and may wait
// up to 30 s for the next TOTP step, and at E2E_CPU_THROTTLE=20 it takes two minutes.
const journeyTimeoutMs = 240_000;

for (const js of ["on", "off"] as const) {
  describe(`JavaScript ${js}`, () => {
    let app: AppServer;

    beforeAll(async () => {
      app = await startFixtureServer();
    });

    afterAll(async () => {
      await app?.stop();
    });

    test(
      "a new admin sets up their account, signs in with a code, pauses and resumes sending, and signs out",
      async () => {
        const page = await phonePage(js);
        // The same server-rendered pages either way: axe checks them once, with JavaScript on.
        const checkAccessibility = js === "on" ? expectNoAxeViolations : async () => {};

        // The one-time link from the command line.
        await page.goto(addStaff(app, { email, role: "admin" }));
        await page.getByRole("heading", { level: 1, name: "Set up your staff account" }).waitFor();
        await page.getByText(`This account is for ${email}.`).waitFor();
        await checkAccessibility(page);
        const secret = ((await page.locator("code.secret-key").textContent()) ?? "").replace(/\s+/g, "");
        expect(secret).toMatch(/^[A-Z2-7]{16,64}$/);
        await page.getByLabel("Password", { exact: true }).fill(password);
        await page.getByLabel("Enter the password again").fill(password);
        const setUpStep = totpStepNow();
        await page.getByLabel("Code from the app").fill(await totpCode(secret));
        await page.getByRole("button", { name: "Save and continue" }).click();

        await page.getByRole("heading", { level: 1, name: "Your account is set up" }).waitFor();
        const recoveryCodes = page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
        await expect.poll(() => recoveryCodes.count()).toBe(10);
        const recoveryCode = ((await recoveryCodes.first().textContent()) ?? "").trim();
        expect(recoveryCode).not.toBe("");
        await checkAccessibility(page);

        // Signing in: the password, then the second factor.
        await page.getByRole("link", { name: "Sign in" }).click();
        await page.getByRole("heading", { level: 1, name: "Sign in to the staff console" }).waitFor();
        await checkAccessibility(page);
        await page.getByLabel("Email address").fill(email);
        await page.getByLabel("Password").fill(password);
        await page.getByRole("button", { name: "Sign in" }).click();
        await page.getByRole("heading", { level: 1, name: "Enter your code" }).waitFor();
        await checkAccessibility(page);
        if (js === "on") {
          // A code works once per 30-second step, and set-up used this step's.
          await waitFor("the next 30-second code", () => totpStepNow() > setUpStep || undefined);
          await page.getByLabel("Code", { exact: true }).fill(await totpCode(secret));
        } else {
          // The way in when the app is lost.
          await page.getByLabel("Code", { exact: true }).fill(recoveryCode);
        }
        await page.getByRole("button", { name: "Continue" }).click();

        await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
        await page.getByText(`Signed in as ${email}`).waitFor();
        await page.getByRole("heading", { level: 2, name: "Asks", exact: true }).waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
        await page.screenshot({ path: `/tmp/staff-dashboard-js-${js}.png`, fullPage: true });
        await checkAccessibility(page);

        // Pausing all sending, with a reason, and resuming it.
        await page.getByText("Pause all sending", { exact: true }).first().click();
        await page.getByLabel("Why (for the audit log and your colleagues)").fill("Checking the new wording");
        await page.getByRole("button", { name: "Pause all sending" }).click();
        await page.getByRole("heading", { level: 2, name: "All sending is paused" }).waitFor();
        await page.getByText(/by admin@campaign\.example: “Checking the new wording”/).waitFor();
        await page.getByRole("button", { name: "Resume sending" }).click();
        await page.getByText("Pause all sending", { exact: true }).first().waitFor();
        expect(await page.getByRole("heading", { name: "All sending is paused" }).count()).toBe(0);

        // Signing out ends the session: the console asks for a sign-in again.
        await page.getByRole("button", { name: "Sign out" }).click();
        await page.getByText("You have signed out.").waitFor();
        await page.goto(`${app.baseUrl}/staff`);
        await page.getByRole("heading", { level: 1, name: "Sign in to the staff console" }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/staff/sign-in");
        await page.close();
      },
      journeyTimeoutMs,
    );
  });
}
