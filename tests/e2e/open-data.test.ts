import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { parse } from "csv-parse/sync";
import { expect, inject, test } from "vitest";
import { fixtureCampaign } from "../fixture-election";
import { useBrowser } from "./use-browser";

// The shared server, with the fixture election and its pledges.
const baseUrl = inject("baseUrl");
const browser = useBrowser();

test("the footer leads to /data, which links the three files and loads nothing from another origin", async () => {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(baseUrl);
  await page.getByRole("contentinfo").getByRole("link", { name: "Open data" }).click();
  // A client-side navigation: the URL changes before the new page (and its title) renders.
  await page.getByRole("heading", { level: 1, name: "Open data" }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/data`);
  await expect.poll(() => page.title()).toBe(`Open data – ${fixtureCampaign.name}`);
  for (const name of ["pledges.csv", "pledges.json", "constituencies.json"]) {
    await expect(page.getByRole("main").getByRole("link", { name, exact: true }).getAttribute("href")).resolves.toBe(
      `/data/${name}`,
    );
  }
  await page
    .getByRole("table", { name: "Fields in pledges.csv and pledges.json" })
    .getByRole("rowheader", { name: "trust_mark" })
    .waitFor();
  await page
    .getByRole("table", { name: "Fields in constituencies.json" })
    .getByRole("rowheader", { name: "asks_suppressed" })
    .waitFor();
  await page.getByText("begins with an apostrophe").waitFor();
  expect(requests.filter((url) => !url.startsWith(baseUrl))).toEqual([]);
  await page.close();
});

test("/data has no accessibility violations (axe-core)", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/data`);
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
  await page.close();
});

test("the CSV link downloads pledges.csv, which parses and holds the fixture pledges", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/data`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("main").getByRole("link", { name: "pledges.csv", exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("pledges.csv");
  const text = readFileSync(await download.path(), "utf8");
  const rows = parse(text, { columns: true, relax_quotes: false }) as Record<string, string>[];
  expect(rows).toHaveLength(64);
  expect(rows.filter((r) => r.pledge_status === "signed-all").length).toBeGreaterThan(0);
  expect(rows.find((r) => r.person_id === "900855")).toMatchObject({
    person_name: "Priya Lakshmi Chandran-Holt",
    point_1: "signed",
    point_4: "signed",
    trust_mark: "recorded-by-campaign",
  });
  await page.close();
});

test("the JSON files answer with their type, open CORS and the attribution in meta", async () => {
  for (const name of ["pledges.json", "constituencies.json"]) {
    const response = await fetch(`${baseUrl}/data/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("link")).toBe('</data>; rel="describedby"');
    const body = (await response.json()) as { meta: { attribution: { source: string }[] }; data: unknown[] };
    expect(body.meta.attribution.map((a) => a.source)).toContain("Democracy Club");
    expect(body.data.length).toBeGreaterThan(0);
  }
});
