// The README's "A real election, step by step", followed literally on a new
// database: its import command run as written (through npm), then the server
// as `npm start` runs it, then a supporter's way to the ask and the board.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { useBrowser } from "./use-browser";
import { dwellLikeAPerson } from "./wait-for";
import {
  createTestDatabase,
  envWithDatabase,
  startAppServer,
  type AppServer,
  type TestDatabase,
} from "../../scripts/app-server";
import { measurePageWeight, overBudget } from "../../scripts/bench/page-weight";
import { realDataDir } from "../real-data";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const realData = realDataDir("the README's real-election recipe test");
// The recipe has no campaign of its own: start-up loads the shipped one from data/.
const shippedCampaign = JSON.parse(readFileSync(join(repoRoot, "data", "campaign.json"), "utf8")) as { name: string };

/** The shell lines of the README's recipe, with `\` continuations joined. */
function readmeRecipe() {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("### A real election, step by step"));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no sh block under "A real election, step by step"');
  return block
    .replace(/\\\n\s*/g, "")
    .trim()
    .split("\n");
}

describe.skipIf(!realData)("the README's real-election recipe", () => {
  let database: TestDatabase | undefined;
  let server: AppServer;
  const browser = useBrowser();
  let candidates: Record<string, string>[] = [];

  beforeAll(async () => {
    // Read here, not in the describe body: that body runs even when skipped.
    candidates = parse(readFileSync(join(realData!, "oi-ge2024-candidates.csv")), { columns: true }) as Record<
      string,
      string
    >[];
    const recipe = readmeRecipe();
    // The recipe sets its own DATABASE_PATH and ends by starting the server:
    // the test gives it a new database of its own and starts the built server.
    // On a PostgreSQL run (DATABASE_URL=postgres://…) that database is a new
    // one on that server: the recipe's commands are the same, and DATABASE_URL,
    // when set, is where the app reads and writes instead of DATABASE_PATH.
    expect(recipe[0]).toMatch(/^export DATABASE_PATH=\S+$/);
    expect(recipe.at(-1)).toBe("npm start");
    database = await createTestDatabase();
    const script = ["set -euo pipefail", ...recipe.slice(1, -1)].join("\n");
    const result = spawnSync("bash", ["-c", script], {
      cwd: repoRoot,
      env: envWithDatabase(database.env),
      encoding: "utf8",
    });
    if (result.status !== 0) throw new Error(`The README's import failed:\n${result.stdout}\n${result.stderr}`);
    expect(result.stdout).toContain(`candidacies: ${candidates.length} added`);
    server = await startAppServer({ databasePath: database.databasePath, databaseUrl: database.databaseUrl });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("start-up loads the campaign settings into the new database and says so", () => {
    expect(server.output()).toContain(`has an election but no campaign: loaded the campaign "${shippedCampaign.name}"`);
    expect(server.output()).toContain(`constituencies 650, candidacies ${candidates.length}.`);
    expect(server.output()).not.toContain("WARNING: the campaign");
  });

  // The budgets hold on the real 650 seats and 4,515 candidates, where the weight is; npm run bench reports the figures.
  test("every public read page is within its weight budget: 30 KB of JavaScript, /map 40 KB and /board 20 KB of HTML", async () => {
    const personId = candidates.find((c) => c.pcon24cd === "S14000061")!.person_id!;
    const paths = [
      "/",
      "/board",
      "/map",
      "/constituencies",
      "/constituencies/aberdeen-south",
      `/candidates/${personId}`,
    ];
    const weights = [];
    for (const path of [...paths, "/supporters", "/data", "/privacy"])
      weights.push(await measurePageWeight(server.baseUrl, path));
    console.log(
      weights
        .map((w) => `${w.path}: HTML ${w.htmlGzipKb.toFixed(1)} KB, JS ${w.jsGzipKb.toFixed(1)} KB gzipped`)
        .join("\n"),
    );
    expect(overBudget(weights)).toEqual([]);
  });

  test("a supporter goes from a real postcode to a working ask, and the board counts every candidate", async () => {
    const page = await browser.context.newPage();
    await page.goto(server.baseUrl);
    await page.getByRole("heading", { level: 1, name: shippedCampaign.name }).waitFor();
    await page.getByRole("textbox", { name: "Enter your postcode" }).fill("ab10 1ab");
    await page.getByRole("button", { name: "Find constituency" }).click();
    await page.getByRole("heading", { level: 1, name: "Aberdeen South" }).waitFor();

    await page.getByRole("link", { name: "Ask your candidates to sign" }).click();
    await page.getByRole("heading", { level: 1, name: "Ask your candidates to sign the pledge" }).waitFor();
    const standingHere = candidates.filter((c) => c.pcon24cd === "S14000061").length;
    const boxes = page.getByRole("group", { name: "Who do you want to write to?" }).getByRole("checkbox");
    await expect.poll(() => boxes.count()).toBe(standingHere);
    await page.getByLabel("Your name").fill("Morag Innes");
    await page.getByLabel("Your email address").fill("morag@example.org");
    await dwellLikeAPerson(page);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { level: 1, name: "Check your message before sending" }).waitFor();

    await page.goto(`${server.baseUrl}/board`);
    await page
      .getByText(`0 of ${candidates.length.toLocaleString("en-GB")} candidates have signed every point`)
      .waitFor();
    await page
      .getByRole("heading", {
        level: 2,
        name: new RegExp(`^${candidates.length.toLocaleString("en-GB")} candidates, page 1 of`),
      })
      .waitFor();
    await page.close();
  });
});
