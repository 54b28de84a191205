import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startFixtureServer } from "./fixture-server";
import { expectNoAxeViolations, expectNoSidewaysScroll, query, signInNewOrganiser } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import type { AppServer } from "../../scripts/app-server";

// An organiser brings a new seat and its first candidate in from the browser,
// on a phone, with JavaScript on and off: each file's dry run shows what it
// would add, a second press imports it, and the import history lists the run;
// a big file's dry run and import show their progress while they run (the page
// refreshing itself without JavaScript, updating in place with it); a bad file
// is refused with its problems by line and column and nothing changes. Each
// run has its own server, so its imports are its own.
const organiser = "imports@campaign.example";
const password = "slate roof under summer rain";
const browsers = {
  on: useBrowser(),
  off: useBrowser({ javaScriptEnabled: false }),
};

type Files = { seat: string; candidates: string; big: string; bad: string; candidateName: string; seatCode: string };

// Enough rows for the dry run and the import to take a few seconds, so their progress shows.
const bigFileRows = 20_000;

/**
 * The three files, built with the tests' own factories. Those open the app's
 * database connection as they load, so they get one of their own, in a temp
 * folder, before they are imported: never the server's, never var/.
 */
async function writeFiles(js: "on" | "off"): Promise<Files> {
  process.env.DATABASE_PATH ??= join(mkdtempSync(join(tmpdir(), "pledge-e2e-factories-")), "unused.sqlite");
  const { buildCandidate, buildSeat, dcCsv, hocCsv, writeInputFile } = await import("../factories");
  // A seat the fixture election does not have: a candidate in one of its
  // seats would withdraw the others there, as a real partial file would.
  const seat = buildSeat({ name: `Harbury Cross ${js}` });
  const ada = buildCandidate(seat, { person_name: "Ada Quennell" });
  return {
    seat: writeInputFile(`harbury-seat-${js}.csv`, hocCsv([seat])),
    candidates: writeInputFile(`harbury-candidates-${js}.csv`, dcCsv([ada])),
    // Ada again, so that nobody is withdrawn, and many more beside her.
    big: writeInputFile(
      `harbury-big-${js}.csv`,
      dcCsv([
        ada,
        // Person ids of their own: the fixture election's candidates share the factories' range.
        ...Array.from({ length: bigFileRows }, (_, i) =>
          buildCandidate(seat, { person_id: String((js === "on" ? 5_000_000 : 6_000_000) + i) }),
        ),
      ]),
    ),
    // Line 2 (the first after the header) has a person_id that is not a number.
    bad: writeInputFile(`bad-candidates-${js}.csv`, dcCsv([{ ...buildCandidate(seat), person_id: "not-a-number" }])),
    candidateName: ada.person_name as string,
    seatCode: seat.gssCode,
  };
}

async function phonePage(js: "on" | "off") {
  const page = await browsers[js].context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  return page;
}

// A job's page reloads (or revalidates) every 2 s until it is done: long enough for a busy machine.
const jobTimeout = 90_000;

/** Checks a file, waits for its dry run, and imports it with the second press. */
async function checkAndImport(page: Page, path: string, added: { table: string; name: string }) {
  const fileName = basename(path);
  await page.getByLabel("File", { exact: true }).setInputFiles(path);
  await page.getByRole("button", { name: "Check the file" }).click();
  await page
    .getByRole("heading", { level: 1, name: `What importing ${fileName} would change` })
    .waitFor({ timeout: jobTimeout });
  await page.getByText("This was a dry run: nothing has been written yet.").waitFor();
  const plan = page.getByRole("table", { name: added.table });
  await plan.getByRole("cell", { name: added.name, exact: true }).waitFor();
  await page.getByRole("button", { name: "Import this file" }).click();
  await page.getByRole("heading", { level: 1, name: `${fileName} was imported` }).waitFor({ timeout: jobTimeout });
  await page.getByRole("link", { name: "Back to imports" }).click();
  await page.getByRole("heading", { level: 1, name: "Imports" }).waitFor();
  // The history lists the run, with what it added.
  const run = page
    .getByRole("table", { name: "Import history" })
    .getByRole("row")
    .filter({ has: page.getByRole("cell", { name: fileName, exact: true }) });
  await expect.poll(() => run.count()).toBe(1);
  return run;
}

for (const js of ["on", "off"] as const) {
  describe(`JavaScript ${js}`, () => {
    let app: AppServer;
    let files: Files;

    beforeAll(async () => {
      files = await writeFiles(js);
      app = await startFixtureServer();
    });

    afterAll(async () => {
      await app?.stop();
    });

    test("an organiser imports a new seat and its candidate: a dry run showing what is added, then the import, then the history", async () => {
      // The same server-rendered pages either way: axe checks them once, with JavaScript on.
      const checkAccessibility = js === "on" ? expectNoAxeViolations : async () => {};
      const page = await phonePage(js);
      await signInNewOrganiser(app, page, { email: organiser, password });
      await page.getByRole("link", { name: "Imports", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Imports" }).waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);

      const seatRun = await checkAndImport(page, files.seat, { table: "Added (1)", name: `Harbury Cross ${js}` });
      await seatRun.getByRole("cell", { name: "House of Commons Library results by constituency" }).waitFor();

      const candidatesRun = await checkAndImport(page, files.candidates, {
        table: "Added (1)",
        name: `${files.candidateName} (Harbury Cross ${js})`,
      });
      await candidatesRun.getByRole("cell", { name: "Democracy Club candidates" }).waitFor();
      expect((await candidatesRun.getByRole("cell").allTextContents()).slice(5).map((text) => text.trim())).toEqual([
        "1",
        "1",
        "0",
        "0",
        "0",
        "0",
      ]);
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-imports-applied-js-${js}.png`, fullPage: true });
      expect(
        await query(app, "select constituency_code as code from candidacies where name = ?", files.candidateName),
      ).toEqual([{ code: files.seatCode }]);
      expect(
        await query(
          app,
          "select action from audit_log where actor = ? and action like 'import%' order by id",
          organiser,
        ),
      ).toEqual([{ action: "import.apply" }, { action: "import.apply" }]);
      await page.close();
    });

    // Signed in by the journey above (the browser keeps its cookie), whose seat this file fills.
    test("a big file's dry run and import each show their progress while they run, then what they did", async () => {
      const checkAccessibility = js === "on" ? expectNoAxeViolations : async () => {};
      const page = await phonePage(js);
      await page.goto(`${app.baseUrl}/staff/imports`);
      await page.getByRole("heading", { level: 1, name: "Imports" }).waitFor();
      const fileName = basename(files.big);
      await page.getByLabel("File", { exact: true }).setInputFiles(files.big);
      await page.getByRole("button", { name: "Check the file" }).click();

      await page.getByRole("heading", { level: 1, name: `Checking ${fileName}` }).waitFor();
      await page.getByRole("progressbar").waitFor();
      // Which phase the page catches depends on the machine's speed (it refreshes every 2 s), so this waits only
      // for the live status; the counted phases and their wording are proven in import-jobs and
      // staff-imports-page, and the finished page below states the rows it checked.
      await page
        .getByRole("status")
        .filter({ hasText: /Starting|Reading|Checking|Writing|Finishing/ })
        .waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-imports-progress-js-${js}.png`, fullPage: true });
      await page
        .getByRole("heading", { level: 1, name: `What importing ${fileName} would change` })
        .waitFor({ timeout: jobTimeout });
      await page.getByRole("table", { name: `Added (${bigFileRows})` }).waitFor();
      expect(
        await page
          .getByRole("term")
          .filter({ hasText: /^Rows$/ })
          .locator("xpath=following-sibling::dd")
          .textContent(),
      ).toBe(String(bigFileRows + 1));
      expect(await page.getByRole("progressbar").count()).toBe(0);

      await page.getByRole("button", { name: "Import this file" }).click();
      await page.getByRole("heading", { level: 1, name: `Importing ${fileName}` }).waitFor();
      await page.getByRole("progressbar").waitFor();
      await page.getByRole("heading", { level: 1, name: `${fileName} was imported` }).waitFor({ timeout: jobTimeout });
      await page
        .getByRole("status")
        .filter({ hasText: `${bigFileRows} changes` })
        .waitFor();
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      expect(
        await query(
          app,
          "select cast(count(*) as integer) as n from candidacies where constituency_code = ?",
          files.seatCode,
        ),
      ).toEqual([{ n: bigFileRows + 1 }]);
      expect(await query(app, "select action, status from import_jobs order by id desc limit 2")).toEqual([
        { action: "apply", status: "done" },
        { action: "check", status: "done" },
      ]);
      await page.close();
    }, 240_000);

    test("a bad file shows its problems by line and column, and nothing is imported", async () => {
      const checkAccessibility = js === "on" ? expectNoAxeViolations : async () => {};
      const page = await phonePage(js);
      await page.goto(`${app.baseUrl}/staff/imports`);
      await page.getByRole("heading", { level: 1, name: "Imports" }).waitFor();
      const before = await query(app, "select id from import_runs order by id");
      const fileName = basename(files.bad);
      await page.getByLabel("File", { exact: true }).setInputFiles(files.bad);
      await page.getByRole("button", { name: "Check the file" }).click();
      await page
        .getByRole("heading", { level: 1, name: `${fileName} was not imported` })
        .waitFor({ timeout: jobTimeout });
      await page.getByRole("heading", { name: "There is a problem" }).waitFor();
      await page.getByRole("link", { name: `${fileName} has 1 problem; nothing was imported` }).waitFor();
      await expect.poll(() => page.title()).toMatch(/^Error: /);
      const problem = page
        .getByRole("table", { name: `Problems in ${fileName} (1)` })
        .getByRole("row")
        .nth(1);
      await problem.getByRole("cell", { name: /^must be a Democracy Club person id/ }).waitFor();
      expect((await problem.getByRole("cell").allTextContents()).map((text) => text.trim())).toEqual([
        fileName,
        "2",
        "person_id",
        'must be a Democracy Club person id (digits) (got "not-a-number")',
      ]);
      await expectNoSidewaysScroll(page);
      await checkAccessibility(page);
      await page.screenshot({ path: `/tmp/staff-imports-problems-js-${js}.png`, fullPage: true });
      expect(await query(app, "select id from import_runs order by id")).toEqual(before);
      expect(await query(app, "select 1 from candidacies where person_id = 'not-a-number'")).toEqual([]);
      await page.close();
    });
  });
}
