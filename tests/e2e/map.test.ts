// The hex map in Chromium: on the shared fixture server (16 seats, with the
// fixture pledges), then on a server of its own over the real 650-seat election.
// The page ships no framework: its tooltips are one plain module
// (app/enhance/map-tooltip.js) that fetches /map/tooltips.json when first needed.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import AxeBuilder from "@axe-core/playwright";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { fixtureCampaign } from "../fixture-election";
import { expectNoAxeViolations, expectNoSidewaysScroll } from "./staff-journeys";
import { useBrowser } from "./use-browser";
import { waitFor } from "./wait-for";
import {
  createTestDatabase,
  envWithDatabase,
  startAppServer,
  type AppServer,
  type TestDatabase,
} from "../../scripts/app-server";
import { realDataDir } from "../real-data";

const baseUrl = inject("baseUrl");
const browser = useBrowser();
const noScript = useBrowser({ javaScriptEnabled: false });

const NOT_MATCHING = " (not matching the filters)";

function hexMap(page: Page) {
  return page.getByRole("group", { name: /^Hex map of/ });
}

/** Each hex link's accessible name, in document (and so keyboard) order. */
async function hexNames(page: Page) {
  const links = hexMap(page).getByRole("link");
  const names: string[] = [];
  for (let i = 0, n = await links.count(); i < n; i++)
    names.push((await links.nth(i).getAttribute("aria-label")) ?? "");
  return names;
}

function tableNames(page: Page) {
  return page
    .getByRole("table", { name: /^Constituencies and the best answer/ })
    .getByRole("rowheader")
    .allTextContents();
}

/** Once the tooltip script has loaded, hovering a hex shows its tooltip. */
async function waitForScript(page: Page) {
  await untilTooltip(page, () => hexMap(page).getByRole("link").first().hover());
  await page.mouse.move(1, 1);
  await page.getByRole("tooltip").waitFor({ state: "hidden" });
}

/** The script loads a moment after the page shows (longer on a busy machine): retry until the tooltip answers. */
async function untilTooltip(page: Page, act: () => Promise<void>) {
  const tooltip = page.getByRole("tooltip");
  return waitFor("the map's tooltip", async () => {
    // A pointer already resting on the hex sends no new mouseover: move it off first.
    await page.mouse.move(1, 1);
    await act();
    return (await tooltip.isVisible()) ? tooltip : undefined;
  });
}

test("the map draws the 16 fixture constituencies as links named for their status, with a key, and a table of the same a link away", async () => {
  const page = await browser.context.newPage();
  const response = await page.goto(`${baseUrl}/map`);
  expect(response?.headers()["cache-control"]).toMatch(/^public/);
  await page.getByRole("heading", { level: 1, name: "Pledge map" }).waitFor();
  await expect.poll(() => page.title()).toBe(`Pledge map – ${fixtureCampaign.name}`);

  const names = await hexNames(page);
  expect(names).toHaveLength(16);
  for (const name of names) {
    expect(name).toMatch(/^.+: (Signed every point|Signed some points|Declined|No answer yet|No candidates standing)$/);
  }
  // The fixture pledges colour some constituencies: Wendlebury's Labour candidate signed everything.
  expect(names).toContain("Wendlebury: Signed every point");

  const key = page.getByRole("list", { name: "Key" });
  const counts = (await key.getByRole("listitem").allTextContents()).map((t) =>
    Number(/(\d+) constituenc/.exec(t)?.[1]),
  );
  expect(counts.reduce((a, b) => a + b, 0)).toBe(16);

  const constituencies = names.map((n) => n.split(":")[0]);
  await page.getByRole("link", { name: "See the map as a table" }).click();
  await page.getByRole("heading", { level: 1, name: "The map as a table" }).waitFor();
  expect((await tableNames(page)).sort()).toEqual([...constituencies].sort());
  expect(await page.getByRole("columnheader").allTextContents()).toContain("Nation or region");
  await page.getByRole("link", { name: "Back to the map" }).click();
  await page.getByRole("heading", { level: 1, name: "Pledge map" }).waitFor();
  await page.close();
});

test("keyboard: Tab reaches the hexes, focus shows the tooltip, Enter follows the link; the table's link comes before the hexes", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/map`);
  await waitForScript(page);

  let label: string | null = null;
  for (let i = 0; i < 40 && !label; i++) {
    await page.keyboard.press("Tab");
    label = await page.evaluate(() =>
      document.activeElement?.closest("svg") ? document.activeElement.getAttribute("aria-label") : null,
    );
  }
  expect(label).toMatch(/^.+: .+$/);
  const name = label!.split(":")[0]!;
  const focused = hexMap(page).getByRole("link", { name: label!, exact: true });
  // Focus is visible: a thick dark outline, drawn above the neighbouring hexes.
  await expect(focused.locator("path").evaluate((p) => getComputedStyle(p).strokeWidth)).resolves.toBe("4px");
  const tooltip = page.getByRole("tooltip").filter({ hasText: name });
  await tooltip.waitFor();
  const tooltipId = await tooltip.getAttribute("id");
  await expect.poll(() => focused.getAttribute("aria-describedby")).toBe(tooltipId);
  await page.keyboard.press("Escape");
  await tooltip.waitFor({ state: "hidden" });

  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name }).waitFor();
  expect(page.url()).toMatch(/\/constituencies\/[a-z-]+$/);

  // No tabbing past 16 hexes (or 650) to reach the table: its link comes first.
  await page.goto(`${baseUrl}/map`);
  await page.getByRole("heading", { level: 1, name: "Pledge map" }).waitFor();
  let reached = "";
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => {
      const active = document.activeElement;
      if (active?.closest("svg")) return "hex";
      return active?.textContent === "See the map as a table" ? "table" : "";
    });
  }
  expect(reached).toBe("table");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { level: 1, name: "The map as a table" }).waitFor();
  await page.close();
});

test("hovering a hex shows the constituency and each candidate's answer", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/map`);
  const hex = hexMap(page).getByRole("link", { name: /^Wendlebury:/ });
  const tooltip = await untilTooltip(page, () => hex.hover());
  const text = (await tooltip.textContent()) ?? "";
  expect(text).toContain("Wendlebury");
  expect(text).toContain("Nadia Haworth (Labour Party): Signed every point");
  expect(text).toMatch(/Tom Featherstone \(Liberal Democrats\): Signed some points/);
  // The tooltip sits beside the hex, not on top of it.
  const [a, b] = [await hex.boundingBox(), await tooltip.boundingBox()];
  expect(a!.x + a!.width <= b!.x || b!.x + b!.width <= a!.x).toBe(true);
  await page.mouse.move(1, 1);
  await tooltip.waitFor({ state: "hidden" });
  await page.close();
});

test("the filters go in the address, and grey out the rest of the map without moving it", async () => {
  const page = await browser.context.newPage();
  await page.goto(`${baseUrl}/map`);
  await waitForScript(page);
  // Where the map is on the page (each filter loads a new page, which opens at the top).
  const place = () =>
    hexMap(page).evaluate((svg) => {
      const r = svg.getBoundingClientRect();
      return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
    });
  const before = await place();

  await page.getByRole("combobox", { name: "Party" }).selectOption({ label: "Liberal Democrats" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByRole("heading", { name: "7 of 16 constituencies match: Liberal Democrats", exact: true }).waitFor();
  // The empty status is dropped from the address (one redirect).
  expect(page.url()).toMatch(/\/map\?party=PP90$/);
  const names = await hexNames(page);
  expect(names).toHaveLength(16);
  expect(names.filter((n) => n.endsWith(NOT_MATCHING))).toHaveLength(9);
  expect(names).toContain(`Bryngôr: No Liberal Democrats candidate${NOT_MATCHING}`);
  expect(await place()).toEqual(before);
  await expect.poll(() => page.title()).toBe(`Liberal Democrats – Pledge map – ${fixtureCampaign.name}`);

  const signedAll = names.filter((n) => n.endsWith(": Signed every point")).map((n) => n.split(":")[0]);
  await page.getByRole("combobox", { name: "Best answer" }).selectOption({ label: "Signed every point" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page
    .getByRole("heading", {
      name: `${signedAll.length} of 16 constituencies match: Liberal Democrats, Signed every point`,
      exact: true,
    })
    .waitFor();
  expect(page.url()).toMatch(/\/map\?party=PP90&status=signed-all$/);
  expect((await hexNames(page)).filter((n) => !n.endsWith(NOT_MATCHING)).map((n) => n.split(":")[0])).toEqual(
    signedAll,
  );

  // A shared link opens the same view; "Clear filters" goes back to everything.
  const shared = await browser.context.newPage();
  await shared.goto(page.url());
  await expect.poll(() => shared.getByRole("combobox", { name: "Party" }).inputValue()).toBe("PP90");
  await expect.poll(() => shared.getByRole("combobox", { name: "Best answer" }).inputValue()).toBe("signed-all");
  await shared.close();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await page.getByRole("heading", { name: "16 constituencies", exact: true }).waitFor();
  await expect.poll(() => page.getByRole("combobox", { name: "Party" }).inputValue()).toBe("");
  await page.close();
});

test("without JavaScript the map, its links and the filters all work", async () => {
  const page = await noScript.context.newPage();
  await page.goto(`${baseUrl}/map`);
  expect(await hexNames(page)).toHaveLength(16);
  await page.getByRole("combobox", { name: "Party" }).selectOption({ label: "Liberal Democrats" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByRole("heading", { name: "7 of 16 constituencies match: Liberal Democrats", exact: true }).waitFor();
  // The empty status is dropped from the address (one redirect).
  expect(page.url()).toMatch(/\/map\?party=PP90$/);
  expect((await hexNames(page)).filter((n) => n.endsWith(NOT_MATCHING))).toHaveLength(9);
  await hexMap(page)
    .getByRole("link", { name: /^Brackenby Vale:/ })
    .click();
  await page.getByRole("heading", { level: 1, name: "Brackenby Vale" }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/constituencies/brackenby-vale`);
  await page.close();
});

test("/map has no accessibility violations (axe-core), filtered or not, tooltip open or not", async () => {
  const page = await browser.context.newPage();
  for (const path of ["/map", "/map?party=PP90&status=signed-all"]) {
    await page.goto(`${baseUrl}${path}`);
    const results = await new AxeBuilder({ page }).analyze();
    expect(
      results.violations.map(
        (v) => `${path} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
      ),
    ).toEqual([]);
  }
  await untilTooltip(page, () => hexMap(page).getByRole("link").first().hover());
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `tooltip ${v.id}: ${v.help}`)).toEqual([]);
  await page.close();
});

test("/map ships no framework: one small script of our own, no inline script, and the candidates only once someone points at a hex", async () => {
  const page = await browser.context.newPage();
  const requests: string[] = [];
  const scripts = new Map<string, Promise<Buffer>>();
  page.on("request", (request) => requests.push(request.url()));
  page.on("response", (response) => {
    if (new URL(response.url()).pathname.endsWith(".js")) {
      expect(response.status(), response.url()).toBe(200);
      scripts.set(response.url(), response.body());
    }
  });
  const response = await page.goto(`${baseUrl}/map`);
  const html = await response!.text();
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toContain("Nadia Haworth");
  await page.waitForLoadState("networkidle");
  expect(requests.filter((url) => url.includes("/map/tooltips.json"))).toEqual([]);
  await untilTooltip(page, () => hexMap(page).getByRole("link").first().hover());
  expect([...new Set(requests.filter((url) => url.includes("/map/tooltips.json")))]).toEqual([
    `${baseUrl}/map/tooltips.json`,
  ]);
  expect(requests.filter((url) => !url.startsWith(baseUrl))).toEqual([]);

  // The one script, fingerprinted under /assets and cached for good.
  expect([...scripts.keys()].map((url) => new URL(url).pathname)).toEqual([
    expect.stringMatching(/^\/assets\/map-tooltip-[\w-]+\.js$/),
  ]);
  const [url, body] = [...scripts][0]!;
  const asset = await fetch(url);
  expect(asset.headers.get("cache-control")).toMatch(/immutable/);
  const gzipped = gzipSync(await body).length;
  console.log(`/map loads 1 script: ${(gzipped / 1024).toFixed(1)} KB gzipped`);
  expect(gzipped).toBeLessThan(30 * 1024);

  // A party filter's tooltips come from that party's data.
  await page.goto(`${baseUrl}/map?party=PP90`);
  await untilTooltip(page, () =>
    hexMap(page)
      .getByRole("link", { name: /^Wendlebury:/ })
      .hover(),
  );
  await expect.poll(() => page.getByRole("tooltip").textContent()).not.toContain("Nadia Haworth");
  expect(requests).toContain(`${baseUrl}/map/tooltips.json?party=PP90`);
  await page.close();
});

test("reached by a client-side navigation from a hydrated page, the map's tooltips still work", async () => {
  const page = await browser.context.newPage();
  const dataRequests: string[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/map.data") dataRequests.push(request.url());
  });
  // The ask form is hydrated; its header links navigate on the client.
  await page.goto(`${baseUrl}/constituencies/brackenby-vale/ask`);
  await page.waitForLoadState("networkidle");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Map" }).click();
  await page.getByRole("heading", { level: 1, name: "Pledge map" }).waitFor();
  const tooltip = await untilTooltip(page, () =>
    hexMap(page)
      .getByRole("link", { name: /^Wendlebury:/ })
      .hover(),
  );
  await expect.poll(() => tooltip.textContent()).toContain("Nadia Haworth (Labour Party): Signed every point");
  expect(dataRequests.length).toBe(1);
  await page.close();
});

// ---------------------------------------------------------------- find a constituency, zoom

function findBox(page: Page) {
  return page.getByRole("textbox", { name: "Find a constituency on the map" });
}

/** The status line that names the ringed constituency, and the ringed hex itself. */
async function expectRinged(page: Page, name: string, area: string) {
  await page
    .getByRole("status")
    .filter({ hasText: `${name} is ringed on the map of ${area}.` })
    .waitFor();
  const current = hexMap(page).locator('a[aria-current="location"]');
  await expect.poll(() => current.count()).toBe(1);
  expect(await current.getAttribute("aria-label")).toMatch(new RegExp(`^${name}: `));
  expect(await page.locator(".hex-map__ring--seat").count()).toBe(1);
}

for (const [mode, use] of [
  ["without JavaScript", noScript],
  ["with JavaScript", browser],
] as const) {
  test(`${mode}, a postcode in the find box rings its constituency, zoomed to its region`, async () => {
    const page = await use.context.newPage();
    await page.goto(`${baseUrl}/map?party=PP90`);
    await findBox(page).fill(" zz4 1aa ");
    await page.getByRole("button", { name: "Find on the map" }).click();
    await expectRinged(page, "Brackenby Vale", "East Midlands");
    await page
      .getByRole("heading", { name: "1 of 1 constituency in East Midlands match: Liberal Democrats" })
      .waitFor();
    expect(page.url()).toBe(`${baseUrl}/map?party=PP90&seat=brackenby-vale`);
    // Its Liberal Democrat has no answer yet in the fixture.
    expect(await hexNames(page)).toEqual(["Brackenby Vale: No answer yet"]);
    await page.close();
  });

  test(`${mode}, part of a name in several seats is a list to choose from; one is ringed`, async () => {
    const page = await use.context.newPage();
    await page.goto(`${baseUrl}/map`);
    await findBox(page).fill("AND");
    await page.getByRole("button", { name: "Find on the map" }).click();
    const choices = page.getByRole("heading", { name: /^\d+ constituencies match ‘AND’$/ });
    await choices.waitFor();
    await page
      .getByRole("list", { name: /constituencies match/ })
      .getByRole("link", { name: "Mardale and Thorne", exact: true })
      .click();
    await expectRinged(page, "Mardale and Thorne", "North East");

    // A whole name goes straight there, whatever its accents.
    await findBox(page).fill("cwm sal and tregelyn");
    await page.getByRole("button", { name: "Find on the map" }).click();
    await expectRinged(page, "Cwm Sâl and Tregelyn", "Wales");
    await page.close();
  });

  test(`${mode}, a name or postcode that is nowhere is an error summary linking to the box, which keeps what was typed`, async () => {
    const page = await use.context.newPage();
    await page.goto(`${baseUrl}/map`);
    await findBox(page).fill("Atlantis");
    await page.getByRole("button", { name: "Find on the map" }).click();
    const summary = page.getByRole("alert").filter({ hasText: "There is a problem" });
    await summary.waitFor();
    const message = "We cannot find a constituency called ‘Atlantis’. Check the spelling, or enter a postcode";
    await summary.getByRole("link", { name: message }).waitFor();
    // Focused on load, script or none, so a screen reader reads it first (GOV.UK).
    await expect.poll(() => summary.evaluate((element) => element === document.activeElement)).toBe(true);
    await expect.poll(() => page.title()).toMatch(/^Error: Pledge map/);
    await expect.poll(() => findBox(page).inputValue()).toBe("Atlantis");
    expect(await findBox(page).getAttribute("aria-invalid")).toBe("true");
    await summary.getByRole("link", { name: message }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe("#find");
    await page.close();
  });
}

test("without JavaScript, the region links zoom the map, keep the filters, and 'Whole map' goes back", async () => {
  const page = await noScript.context.newPage();
  await page.goto(`${baseUrl}/map?status=declined`);
  const zoom = page.getByRole("navigation", { name: "Zoom to a nation or region" });
  await zoom.getByRole("link", { name: "Wales", exact: true }).click();
  await page.getByRole("heading", { name: /^\d+ of 3 constituencies in Wales match: Declined$/ }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/map?status=declined&region=wales`);
  expect(await hexNames(page)).toHaveLength(3);
  expect((await hexNames(page)).every((n) => /^(Bryngôr|Cwm Sâl and Tregelyn|Glynmawr and Afon Dŵr):/.test(n))).toBe(
    true,
  );
  expect(await zoom.getByRole("link", { name: "Wales", exact: true }).getAttribute("aria-current")).toBe("page");
  // The table, a link away, lists the area alone with the same filter.
  await page.getByRole("link", { name: "See the map as a table" }).click();
  await page.getByRole("heading", { level: 1, name: "The map as a table" }).waitFor();
  expect(page.url()).toBe(`${baseUrl}/map/table?status=declined&region=wales`);
  expect((await tableNames(page)).every((n) => /^(Bryngôr|Cwm Sâl and Tregelyn|Glynmawr and Afon Dŵr)$/.test(n))).toBe(
    true,
  );
  // Every row is in Wales, so no column says so.
  expect(await page.getByRole("columnheader").allTextContents()).not.toContain("Nation or region");
  await page.getByRole("link", { name: "Back to the map" }).click();
  await page.getByRole("heading", { name: /^\d+ of 3 constituencies in Wales match: Declined$/ }).waitFor();
  // Filtering keeps the zoom.
  await page.getByRole("combobox", { name: "Best answer" }).selectOption({ label: "No answer yet" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await page.getByRole("heading", { name: /^\d+ of 3 constituencies in Wales match: No answer yet$/ }).waitFor();
  await page.getByRole("link", { name: "Whole map" }).first().click();
  await page.getByRole("heading", { name: /^\d+ of 16 constituencies match: No answer yet$/ }).waitFor();
  expect(await hexNames(page)).toHaveLength(16);
  await page.close();
});

test("a constituency page links to its hex on the map", async () => {
  const page = await noScript.context.newPage();
  await page.goto(`${baseUrl}/constituencies/southmere-and-tansy-green`);
  await page.getByRole("link", { name: "See Southmere and Tansy Green on the map" }).click();
  await expectRinged(page, "Southmere and Tansy Green", "London");
  expect(page.url()).toBe(`${baseUrl}/map?seat=southmere-and-tansy-green`);
  await page.close();
});

for (const path of [
  "/map?region=london",
  "/map?seat=brackenby-vale&party=PP90",
  "/map?find=and",
  "/map?find=Atlantis",
]) {
  test(`${path} has no accessibility violations and no sideways scroll at 390 px`, async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}${path}`);
    await page.getByRole("heading", { level: 1, name: "Pledge map" }).waitFor();
    await expectNoAxeViolations(page);
    await expectNoSidewaysScroll(page);
    await page.close();
  });
}

// ---------------------------------------------------------------- the real election

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const realData = realDataDir("the real-data map browser test");
const realFiles = [
  "HoC-GE2024-results-by-constituency.csv",
  "ons-pcon24-names-and-codes-uk-v2.csv",
  "oi-uk-constituencies-2024.hexjson",
  "oi-ge2024-candidates.csv",
];

describe.skipIf(!realData)("the real 2024 election", () => {
  let database: TestDatabase | undefined;
  let server: AppServer;

  beforeAll(async () => {
    // The real files go into a fresh database first (a SQLite file, or a new
    // PostgreSQL database when the run's DATABASE_URL names a server), so the
    // server finds it full and loads no sample; then the fixture's campaign
    // settings and some invented answers, so that every colour shows.
    database = await createTestDatabase();
    const env = envWithDatabase(database.env);
    const run = (args: string[]) => {
      const result = spawnSync(process.execPath, ["--import", "tsx", ...args], {
        cwd: repoRoot,
        env,
        encoding: "utf8",
      });
      if (result.status !== 0) throw new Error(`${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
    };
    run(["scripts/import.ts", ...realFiles.map((f) => join(realData!, f))]);
    run(["tests/e2e/seed-real-election.ts"]);
    server = await startAppServer({ databasePath: database.databasePath, databaseUrl: database.databaseUrl });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  test("650 hex links, the UK the right way up (see test-results/map-real.png)", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 1000 });
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(`${server.baseUrl}/map`);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => hexMap(page).getByRole("link").count()).toBe(650);
    const key = (await page.getByRole("list", { name: "Key" }).getByRole("listitem").allTextContents()).join("; ");
    expect(key).toMatch(
      /Signed every point[\d,]+ constituencies; Signed some points\d+ constituencies; Declined\d+ constituencies; No answer yet\d+ constituencies/,
    );

    mkdirSync(join(repoRoot, "test-results"), { recursive: true });
    await page.screenshot({ path: join(repoRoot, "test-results", "map-real.png"), fullPage: true });
    // The page's top, the map and its key, to look at.
    await page.screenshot({
      path: join(repoRoot, "test-results", "map-real-top.png"),
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: 1800 },
    });
    await untilTooltip(page, () =>
      hexMap(page)
        .getByRole("link", { name: /^St Ives:/ })
        .hover(),
    );
    await page.locator(".map-layout").screenshot({ path: join(repoRoot, "test-results", "map-real-tooltip.png") });

    // North up, Cornwall bottom left, Northern Ireland west, London south-east.
    const centre = async (name: RegExp) => {
      const box = (await hexMap(page).getByRole("link", { name }).boundingBox())!;
      return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    };
    const map = (await hexMap(page).boundingBox())!;
    const orkney = await centre(/^Orkney and Shetland:/);
    const stIves = await centre(/^St Ives:/);
    const belfast = await centre(/^Belfast South and Mid Down:/);
    const london = await centre(/^Cities of London and Westminster:/);
    const cardiff = await centre(/^Cardiff East:/);
    expect(orkney.y).toBeLessThan(map.y + map.height * 0.05);
    expect(stIves.y).toBeGreaterThan(map.y + map.height * 0.9);
    expect(stIves.x).toBeLessThan(map.x + map.width / 2);
    expect(belfast.x).toBeLessThan(cardiff.x);
    expect(london.x).toBeGreaterThan(map.x + map.width / 2);
    expect(london.y).toBeGreaterThan(map.y + map.height / 2);
    expect(cardiff.x).toBeLessThan(london.x);
    expect(requests.filter((url) => !url.startsWith(server.baseUrl))).toEqual([]);

    // What the 650-seat page weighs (the SVG with its outlines; no table, no candidates), against issue 13's budget.
    const html = Buffer.from(await (await fetch(`${server.baseUrl}/map`)).arrayBuffer());
    const tooltips = Buffer.from(await (await fetch(`${server.baseUrl}/map/tooltips.json`)).arrayBuffer());
    console.log(
      `/map with the real election: ${(html.length / 1024).toFixed(0)} KB of HTML, ${(gzipSync(html).length / 1024).toFixed(1)} KB gzipped; ` +
        `its tooltips' data ${(gzipSync(tooltips).length / 1024).toFixed(1)} KB gzipped, fetched on first use`,
    );
    expect(gzipSync(html).length).toBeLessThanOrEqual(40 * 1024);

    // Its words apart: a row for every seat, as many as the map has hexagons.
    await page.goto(`${server.baseUrl}/map/table`);
    await page.getByRole("heading", { level: 2, name: "650 constituencies" }).waitFor();
    await expect.poll(() => page.getByRole("table").getByRole("rowheader").count()).toBe(650);
    await page.close();
  });

  test("England's regions and the four nations are outlined, and labelled (see test-results/map-real-1280.png)", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.baseUrl}/map`);
    const map = hexMap(page);
    await expect.poll(() => map.locator(".hex-map__region").count()).toBe(9);
    await expect.poll(() => map.locator(".hex-map__nation").count()).toBe(4);
    // Each outline is drawn, and lies on the map: Scotland's is in the top half, Northern Ireland's at the far left.
    const box = (await map.boundingBox())!;
    const nations = await map
      .locator(".hex-map__nation")
      .evaluateAll((paths) => paths.map((p) => (p as SVGGraphicsElement).getBoundingClientRect().toJSON() as DOMRect));
    for (const n of nations) expect(n.width * n.height).toBeGreaterThan(0);
    expect(Math.min(...nations.map((n) => n.left))).toBeLessThan(box.x + box.width * 0.15);
    const labels = await map.locator(".hex-map__label").allTextContents();
    expect(labels).toEqual(expect.arrayContaining(["Scotland", "Wales", "Northern Ireland", "London", "North East"]));
    // The lines are dark enough to see on every colour: the nations' thicker than the regions'.
    const stroke = (selector: string) =>
      map
        .locator(selector)
        .first()
        .evaluate((p) => [getComputedStyle(p).stroke, getComputedStyle(p).strokeWidth]);
    expect(await stroke(".hex-map__nation")).toEqual(["rgb(11, 12, 12)", "4px"]);
    expect(await stroke(".hex-map__region")).toEqual(["rgb(11, 12, 12)", "2px"]);

    mkdirSync(join(repoRoot, "test-results"), { recursive: true });
    await map.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(repoRoot, "test-results", "map-real-1280.png") });
    await page.close();
  });

  test("on a 390 px phone the map fits without sideways scroll, and London zoomed is big enough to tap (see test-results/map-real-390*.png)", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.baseUrl}/map`);
    await expect.poll(() => hexMap(page).getByRole("link").count()).toBe(650);
    await expectNoSidewaysScroll(page);
    mkdirSync(join(repoRoot, "test-results"), { recursive: true });
    await hexMap(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(repoRoot, "test-results", "map-real-390.png") });

    await page
      .getByRole("navigation", { name: "Zoom to a nation or region" })
      .getByRole("link", { name: "London", exact: true })
      .click();
    await page.getByRole("heading", { name: "75 constituencies in London" }).waitFor();
    await expect.poll(() => hexMap(page).getByRole("link").count()).toBe(75);
    await expectNoSidewaysScroll(page);
    const hex = (await hexMap(page)
      .getByRole("link", { name: /^Cities of London and Westminster:/ })
      .boundingBox())!;
    // WCAG 2.5.8: a target at least 24 px across.
    expect(hex.width).toBeGreaterThanOrEqual(24);
    await hexMap(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(repoRoot, "test-results", "map-real-390-london.png") });

    // Found by name, ringed, from the whole map.
    await page.goto(`${server.baseUrl}/map`);
    await findBox(page).fill("Bermondsey");
    await page.getByRole("button", { name: "Find on the map" }).click();
    await expectRinged(page, "Bermondsey and Old Southwark", "London");
    await expectNoSidewaysScroll(page);
    await expectNoAxeViolations(page);
    await page.close();
  });
});
