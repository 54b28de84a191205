import { afterAll, beforeAll, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { expectNoAxeViolations, expectNoSidewaysScroll, query, signInNewOrganiser } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import type { AppServer } from "../../scripts/app-server";

// A reader on a phone with JavaScript off spots that a candidate's party is
// wrong and reports it from her page (forgetting the details at first); an
// organiser sees the report counted in the console's nav and resolves it with
// a note. From tests/fixtures/election/candidates-dc.csv:
const candidate = { name: "Ruth Adeyemi", personId: "900346" };
const details = "She left Labour last week and now stands as an independent.";
const organiser = "organiser@campaign.example";
const password = "copper kettle by the weir";
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};
let app: AppServer;

beforeAll(async () => {
  app = await startFixtureServer();
});

afterAll(async () => {
  await app?.stop();
});

async function phonePage(js: "on" | "off") {
  const page = await browsers[js].context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

test("a reader without JavaScript reports a wrong party; an organiser resolves the report with a note", async () => {
  const reader = await phonePage("off");
  await reader.goto(`${app.baseUrl}/candidates/${candidate.personId}`);
  await reader.getByRole("heading", { level: 1, name: candidate.name }).waitFor();
  await reader.getByRole("link", { name: "Report a correction" }).click();
  await reader.getByRole("heading", { level: 1, name: "Report a correction" }).waitFor();
  await expectNoSidewaysScroll(reader);

  await reader.getByLabel("Their party").check();
  await reader.getByRole("button", { name: "Send report" }).click();
  await reader.getByRole("heading", { name: "There is a problem" }).waitFor();
  expect(await reader.title()).toMatch(/^Error: Report a correction/);
  await reader.getByRole("link", { name: "Enter what is wrong and what it should say" }).waitFor();
  // What was chosen is kept.
  expect(await reader.getByLabel("Their party").isChecked()).toBe(true);

  await reader.getByLabel("What is wrong, and what should it say?").fill(details);
  await reader.getByRole("button", { name: "Send report" }).click();
  await reader.getByRole("heading", { level: 1, name: "Report sent" }).waitFor();
  await expectNoSidewaysScroll(reader);
  expect(
    await query<{ topic: string; details: string; reporter_email: string | null }>(
      app,
      "select topic, details, reporter_email from correction_reports",
    ),
  ).toEqual([{ topic: "party", details, reporter_email: null }]);

  // The same server-rendered form, checked by axe (which needs JavaScript), with its errors showing.
  const checked = await phonePage("on");
  await checked.goto(`${app.baseUrl}/candidates/${candidate.personId}/correction`);
  await checked.getByRole("button", { name: "Send report" }).click();
  await checked.getByRole("heading", { name: "There is a problem" }).waitFor();
  await checked.getByRole("link", { name: "Select what is wrong" }).waitFor();
  await expectNoAxeViolations(checked);

  const staff = await phonePage("on");
  await signInNewOrganiser(app, staff, { email: organiser, password });
  await staff.getByRole("link", { name: "Corrections (1 open)" }).click();
  await staff.getByRole("heading", { level: 1, name: "Corrections" }).waitFor();
  await staff.getByText(details).waitFor();
  await expectNoAxeViolations(staff);
  await expectNoSidewaysScroll(staff);
  await staff.getByLabel(`Note (optional) on the report about ${candidate.name}`).fill("Checked with her agent.");
  await staff.getByRole("button", { name: `Resolve the report about ${candidate.name}` }).click();
  await staff.getByText(`The report about ${candidate.name} is marked resolved.`).waitFor();
  await staff.getByText("No reports are waiting.").waitFor();
  await staff.getByRole("cell", { name: "Checked with her agent." }).waitFor();
  await expectNoAxeViolations(staff);
  await expectNoSidewaysScroll(staff);
  expect(await query<{ status: string }>(app, "select status from correction_reports")).toEqual([
    { status: "resolved" },
  ]);
});
