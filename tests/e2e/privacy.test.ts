import { expect, inject, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { expectNoAxeViolations, expectNoSidewaysScroll, signInNewAdmin } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import type { AppServer } from "../../scripts/app-server";

// A supporter reads the privacy notice before giving anything: from the ask
// form (in a new tab, so nothing typed is lost) and from any page's footer,
// on a phone, with JavaScript off. An admin changes who the controller is and
// the notice says so at once, although it is a cached public page.
const baseUrl = inject("baseUrl");
const noScript = useBrowser({ javaScriptEnabled: false });
const withScript = useBrowser();

async function phonePage(browser: typeof noScript) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

test("the privacy link beside the ask form's consents opens the notice in a new tab, with JavaScript off, at 390 px", async () => {
  const page = await phonePage(noScript);
  await page.goto(`${baseUrl}/constituencies/brackenby-vale/ask`);
  await page.getByRole("group", { name: "Campaign updates" }).waitFor();
  await page.getByLabel("Your name").fill("Rajan Nair");
  const [notice] = await Promise.all([
    page.context().waitForEvent("page"),
    page.getByRole("link", { name: "privacy notice (opens in new tab)" }).click(),
  ]);
  await notice!.setViewportSize({ width: 390, height: 844 });
  await notice!.getByRole("heading", { level: 1, name: "Privacy notice" }).waitFor();
  await notice!.getByText("Clean Rivers Promise is the data controller").waitFor();
  await notice!.getByText(/90 days after polling day \(4 July 2024\), so until 2 October 2024/).waitFor();
  await expectNoSidewaysScroll(notice!);
  // The form is still there with what was typed.
  expect(await page.getByLabel("Your name").inputValue()).toBe("Rajan Nair");
  await notice!.close();
  await page.close();
});

test("every page's footer links to the notice, which is accessible and fits a phone", async () => {
  const page = await phonePage(withScript);
  await page.goto(`${baseUrl}/board`);
  await page.getByRole("contentinfo").getByRole("link", { name: "Privacy notice" }).click();
  await page.getByRole("heading", { level: 1, name: "Privacy notice" }).waitFor();
  await page.getByRole("heading", { level: 2, name: "How to complain" }).waitFor();
  await expectNoSidewaysScroll(page);
  // Loaded afresh: after a client-side navigation the footer link keeps focus,
  // and GOV.UK's focus style (no underline, on yellow) is not what axe checks.
  await page.goto(`${baseUrl}/privacy`);
  await page.getByRole("heading", { level: 1, name: "Privacy notice" }).waitFor();
  await expectNoAxeViolations(page);
  await page.close();
});

test("an admin saves new privacy settings, with JavaScript off and on, and the notice shows them at once", async () => {
  let app: AppServer | undefined;
  try {
    app = await startFixtureServer();
    const reader = await phonePage(noScript);
    // Rendered once, so the page cache holds it.
    await reader.goto(`${app.baseUrl}/privacy`);
    await reader.getByText("Clean Rivers Promise is the data controller").waitFor();

    const page = await phonePage(noScript);
    await signInNewAdmin(app, page, {
      email: "privacy@campaign.example",
      password: "a heron on the weir at dawn",
      next: "/staff/settings/privacy",
    });
    await page.getByRole("heading", { level: 1, name: "Privacy settings" }).waitFor();
    await expectNoSidewaysScroll(page);

    await page.getByLabel("Data controller's name").fill("Clean Rivers Trust");
    await page.getByLabel("Hours to keep client-address data").fill("12");
    await page.getByRole("button", { name: "Save privacy settings" }).click();
    await page.getByRole("heading", { name: "There is a problem" }).waitFor();
    await page.getByRole("link", { name: "Enter 24 hours or more for how long to keep client-address data" }).waitFor();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.getByLabel("Data controller's name").inputValue()).toBe("Clean Rivers Trust");

    await page.getByLabel("Data controller's postal address").fill("2 Weir Road\nZZ4 1AA");
    await page.getByLabel("Hours to keep client-address data").fill("48");
    await page.getByLabel("Days after polling day to keep supporters' asks").fill("30");
    await page.getByRole("button", { name: "Save privacy settings" }).click();
    await page.getByText("The privacy settings are saved, and kept as a new version.").waitFor();

    await reader.goto(`${app.baseUrl}/privacy`);
    await reader.getByText("Clean Rivers Trust is the data controller").waitFor();
    await reader.getByText("2 Weir Road").waitFor();
    await reader.getByText(/30 days after polling day \(4 July 2024\), so until 3 August 2024/).waitFor();
    await reader.getByText(/The hashed internet address: 48 hours after your ask/).waitFor();

    const checked = await phonePage(withScript);
    await checked.context().addCookies(await page.context().cookies());
    await checked.goto(`${app.baseUrl}/staff/settings/privacy`);
    await checked.getByRole("heading", { level: 1, name: "Privacy settings" }).waitFor();
    await expectNoAxeViolations(checked);
    // With JavaScript on, the same form, errors and save.
    await checked.getByLabel("Data controller's email address").fill("rivers at example");
    await checked.getByRole("button", { name: "Save privacy settings" }).click();
    await checked
      .getByRole("link", {
        name: "Enter the data controller's email address in the correct format, like name@example.org",
      })
      .waitFor();
    await expectNoAxeViolations(checked);
    await checked.getByLabel("Data controller's email address").fill("rivers@example.org");
    await checked.getByLabel("Days to keep the local mailbox").fill("3");
    await checked.getByRole("button", { name: "Save privacy settings" }).click();
    await checked.getByText("The privacy settings are saved, and kept as a new version.").waitFor();
    await reader.goto(`${app.baseUrl}/privacy`);
    await reader.getByRole("link", { name: "rivers@example.org" }).first().waitFor();
  } finally {
    await app?.stop();
  }
});
