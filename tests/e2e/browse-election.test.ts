import { expect, inject, test } from "vitest";
import { fixtureCampaign } from "../fixture-election";
import { useBrowser } from "./use-browser";

const baseUrl = inject("baseUrl");
const browser = useBrowser();

test("the home page shows the campaign and its points from the fixture election", async () => {
  const page = await browser.context.newPage();
  await page.goto(baseUrl);
  await page.getByRole("heading", { level: 1, name: fixtureCampaign.name }).waitFor();
  await expect.poll(() => page.title()).toBe(fixtureCampaign.name);
  const points = page
    .getByRole("list")
    .filter({ has: page.getByRole("heading", { level: 3 }) })
    .getByRole("listitem");
  await expect.poll(() => points.count()).toBe(fixtureCampaign.points.length);
  await expect
    .poll(() => points.getByRole("heading").allTextContents())
    .toEqual(fixtureCampaign.points.map((p) => p.title));
  await page.close();
});

test("a visitor finds a constituency by nation and region and sees its candidates and parties", async () => {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(baseUrl);
  await page.getByRole("link", { name: "Find your constituency" }).click();
  // A client-side navigation: the address changes before the new page renders,
  // so wait for what the new page shows (see wait-for.ts).
  for (const nation of ["England", "Scotland", "Wales", "Northern Ireland"]) {
    await page.getByRole("heading", { level: 2, name: nation }).waitFor();
  }
  await page.getByRole("link", { name: "Glynmawr and Afon Dŵr" }).click();
  await page.getByRole("heading", { level: 1, name: /Glynmawr and Afon Dŵr/ }).waitFor();
  await page.getByText("Glynmawr ac Afon Dŵr").waitFor();
  expect(page.url()).toBe(`${baseUrl}/constituencies/glynmawr-and-afon-dwr`);
  const rows = page.getByRole("table", { name: /Candidates standing in/ }).getByRole("row");
  await expect.poll(() => rows.count()).toBeGreaterThan(2);
  await page.getByRole("table").getByText("Plaid Cymru - The Party of Wales").waitFor();
  // Nothing on these pages comes from another origin.
  expect(requests.filter((url) => !url.startsWith(baseUrl))).toEqual([]);
  await page.close();
});

test("an unknown constituency answers 404 with a way back", async () => {
  const page = await browser.context.newPage();
  const response = await page.goto(`${baseUrl}/constituencies/nowhere-at-all`);
  expect(response?.status()).toBe(404);
  await page.getByRole("heading", { level: 1, name: "Constituency not found" }).waitFor();
  await page.close();
});
