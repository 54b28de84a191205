import AxeBuilder from "@axe-core/playwright";
import { expect, inject, test } from "vitest";
import { useBrowser } from "./use-browser";
import { measurePageWeight, overBudget } from "../../scripts/bench/page-weight";

// The pages the press and public see: accessible (axe-core), nothing fetched
// from another origin, and the board's filters working as links people share.
const baseUrl = inject("baseUrl");
const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

const publicPages = [
  "/",
  "/board",
  "/board?nation=Wales&status=signed-all",
  "/constituencies",
  "/constituencies/wendlebury",
  "/candidates/900346",
  "/supporters",
  "/privacy",
  "/map/table",
  "/map/table?party=PP90&region=london",
];

// One test per page: axe is heavy on a busy machine, so each page gets its own
// deadline, and a failure names the page.
test.for(publicPages)("%s has no accessibility violations and requests nothing from another origin", async (path) => {
  const page = await browser.context.newPage();
  const elsewhere: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(baseUrl) && !request.url().startsWith("data:")) elsewhere.push(request.url());
  });
  const response = await page.goto(`${baseUrl}${path}`);
  expect(response?.status(), path).toBe(200);
  const results = await new AxeBuilder({ page }).analyze();
  expect(
    results.violations.map((v) => `${path} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`),
  ).toEqual([]);
  expect(elsewhere).toEqual([]);
  await page.close();
});

test("filtering the board puts every choice in the address, so the view can be shared", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/board`);
  await page.getByLabel("Nation").selectOption("Scotland");
  await page.getByLabel("Status", { exact: true }).selectOption("signed-all");
  await page.getByRole("button", { name: "Apply filters" }).click();
  // The unfiltered rows stay on the page until the filtered view renders, so
  // waiting for a row proves nothing: poll for the filtered rows themselves.
  await page.getByRole("link", { name: "Clear filters" }).waitFor();
  const rows = page.getByRole("table", { name: "Candidates and their pledge status" }).getByRole("row");
  const readStatuses = () =>
    // The status tag: the first line of the cell, above the trust mark and date.
    rows.evaluateAll((trs) => trs.slice(1).map((tr) => tr.querySelectorAll("td")[0]?.innerText.split("\n")[0]));
  await expect.poll(async () => [...new Set(await readStatuses())]).toEqual(["Signed every point"]);
  expect(page.url()).toMatch(/\/board\?.*nation=Scotland.*status=signed-all/);
  // The fields left empty are not in the address.
  expect(new URL(page.url()).searchParams.has("q")).toBe(false);
  expect(new URL(page.url()).searchParams.has("party")).toBe(false);
  const statuses = await readStatuses();
  expect(statuses.length).toBeGreaterThan(0);

  // The shared address shows the same view to someone else, without JavaScript.
  const shared = page.url();
  const other = await noScript.context.newPage();
  await other.goto(shared);
  // Without JavaScript the document is complete once goto resolves.
  expect(await other.getByLabel("Nation").inputValue()).toBe("Scotland");
  const otherRows = other.getByRole("table", { name: "Candidates and their pledge status" }).getByRole("row");
  expect(await otherRows.count()).toBe(statuses.length + 1);
  await other.close();

  await page.getByRole("link", { name: "Clear filters" }).click();
  await page.getByRole("link", { name: "Clear filters" }).waitFor({ state: "detached" });
  expect(page.url()).toBe(`${baseUrl}/board`);
  await page.close();
});

test("shared links to a constituency carry a title, a summary and an image", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/constituencies/wendlebury`);
  const og = async (property: string) => page.locator(`meta[property="${property}"]`).getAttribute("content");
  expect(await og("og:title")).toBe("Wendlebury: who has signed");
  expect(await og("og:description")).toMatch(/^\d+ of \d+ candidates in Wendlebury have signed the pledge\.$/);
  const image = await og("og:image");
  expect(image).toMatch(new RegExp(`^${baseUrl}/assets/social-card-[\\w-]+\\.png$`));
  expect((await page.request.get(image!)).status()).toBe(200);
  expect(await page.locator('meta[name="twitter:card"]').getAttribute("content")).toBe("summary_large_image");
  await page.close();
});

test("the header marks the section a page is in, for everyone (aria-current) and by more than colour", async () => {
  const page = await noScript.context.newPage();
  const sections: [string, string | null][] = [
    ["/", "Home"],
    ["/board?nation=Wales", "Who has signed"],
    ["/constituencies/wendlebury", "Constituencies"],
    ["/map/table", "Map"],
    ["/privacy", null],
  ];
  for (const [path, section] of sections) {
    await page.goto(`${baseUrl}${path}`);
    const nav = page.getByRole("navigation", { name: "Main" });
    await nav.waitFor();
    const current = await nav.locator('a[aria-current="page"]').allTextContents();
    expect(current, path).toEqual(section ? [section] : []);
    if (section) {
      const line = await nav
        .getByRole("link", { name: section })
        .evaluate((a) => getComputedStyle(a).textDecorationLine);
      expect(line, path).toBe("underline");
    }
  }
  await page.close();
});

// Everything a member of the public can open, as they open it on a phone.
const phonePages = [...publicPages, "/map", "/data", "/find?postcode=ZZ4+1AA", "/find?postcode=nonsense", "/outbox"];

test.for(["on", "off"])("with JavaScript %s, no public page scrolls sideways at 390 px", async (js) => {
  const page = await (js === "on" ? browser : noScript).context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const wide: string[] = [];
  for (const path of phonePages) {
    await page.goto(`${baseUrl}${path}`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 390) wide.push(`${path}: ${width} px`);
    // The header's links stay on one or two lines, never one word a line.
    const nav = await page.getByRole("navigation", { name: "Main" }).boundingBox();
    if (nav && nav.height > 60) wide.push(`${path}: the header navigation is ${nav.height} px tall`);
  }
  expect(wide).toEqual([]);
  await page.close();
});

test("public read pages ship at most 30 KB of gzipped JavaScript, most of them none", async () => {
  const weights = [];
  for (const path of [...publicPages, "/map", "/data"]) weights.push(await measurePageWeight(baseUrl, path));
  expect(overBudget(weights)).toEqual([]);
  // Nothing on them needs the framework: they are HTML and CSS alone.
  expect(weights.filter((w) => w.path !== "/map" && w.jsGzipKb > 0).map((w) => w.path)).toEqual([]);
});
