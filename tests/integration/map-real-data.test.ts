// The map of the real 2024 election (../shared/realdata, outside the
// repository): 650 hexes from Open Innovations' layout, drawn the right way up.
// Skips, saying so, where the folder is missing.
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { HexMap } from "~/components/hex-map";
import { runImport } from "~/importers/import.server";
import { loadCampaignSettings } from "~/importers/campaign.server";
import { findMapData, findMapTooltips } from "~/models/map.server";
import { loader } from "~/routes/map";
import { realDataDir } from "../real-data";
import { fixtureElectionDir } from "../fixture-election";

const realData = realDataDir("the real-data map tests");

const files = [
  "HoC-GE2024-results-by-constituency.csv",
  "ons-pcon24-names-and-codes-uk-v2.csv",
  "oi-uk-constituencies-2024.hexjson",
  "oi-ge2024-candidates.csv",
];

function mean(values: number[]) {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

describe.skipIf(!realData)("the map of the real 2024 election", () => {
  test("650 hex links, each in its own place, with Scotland at the top and Cornwall bottom left", async () => {
    await loadCampaignSettings({ path: `${fixtureElectionDir}campaign.json` });
    for (const name of files) await runImport({ path: join(realData!, name) });

    const data = await findMapData();
    expect(data.layout).toMatchObject({ id: "oi-uk-constituencies-2024", kind: "odd-r" });
    expect(data.hexes).toHaveLength(650);
    expect(data.offMap).toEqual([]);
    expect(data.counts["no-answer"]).toBe(650);
    expect(data.parties.reduce((n, p) => n + p.candidates, 0)).toBe(4515);

    // What the page ships: the loader's data, drawn by the map component.
    const page = (await loader({ request: new Request("http://localhost/map"), params: {}, context: {} })).data;
    const html = renderToString(
      createElement(HexMap, {
        title: "Hex map",
        viewBox: page.view.viewBox,
        shape: page.layout!.shape,
        hexes: page.hexes,
        outlines: { regions: page.layout!.regions, nations: page.layout!.nations },
        labels: page.layout!.labels,
        tooltips: "/map/tooltips.json",
      }),
    );
    const links = [
      ...html.matchAll(
        /<a href="\/constituencies\/([^"]+)" aria-label="([^"]+)" class="([^"]+)"><path d="M([\d.]+) ([\d.]+)m/g,
      ),
    ];
    expect(links).toHaveLength(650);
    expect(new Set(links.map((l) => l[1])).size).toBe(650);
    expect(new Set(links.map((l) => `${l[4]},${l[5]}`)).size).toBe(650);
    expect(links.map((l) => l[2])).toContain("Ynys Môn: No answer yet");
    // 650 hexes and their outlines stay compact: classes, not inline styles, and short paths.
    expect(html).not.toContain("style=");
    expect(gzipSync(html).length).toBeLessThan(24_000);

    // England's nine regions and the four nations are outlined, each as closed loops of hex sides.
    expect(page.layout!.regions).toHaveLength(9);
    expect(page.layout!.nations).toHaveLength(4);
    for (const d of [...page.layout!.regions, ...page.layout!.nations])
      expect(d).toMatch(/^(M[\d.]+ [\d.]+l[-\d. ]+z)+$/);
    const loopsOf = (d: string) => d.split("M").length - 1;
    // Great Britain's nations are one piece each bar islands; Northern Ireland is one piece.
    expect(loopsOf(page.layout!.nations[3]!)).toBeLessThanOrEqual(3);
    expect(page.layout!.labels.map((l) => l.text)).toEqual(
      expect.arrayContaining(["Scotland", "Wales", "Northern Ireland", "London", "South East"]),
    );

    // The tooltips' 4,515 candidates, fetched apart from the page, packed.
    const tooltips = await findMapTooltips();
    const packed = Object.values(tooltips.seats).map((s) => s[2]);
    expect(packed.join("\n").split("\n")).toHaveLength(4515);
    expect(gzipSync(JSON.stringify(tooltips)).length).toBeLessThan(60_000);

    // Zoomed to London, 75 hexes fill the view: on a 390 px phone (a 360 px map) each is about 30 px
    // across, above WCAG 2.5.8's 24 px for a target.
    const london = (
      await loader({ request: new Request("http://localhost/map?region=london"), params: {}, context: {} })
    ).data;
    expect(london.hexes).toHaveLength(75);
    const [, , zoomWidth] = london.view.viewBox.split(" ").map(Number) as [number, number, number];
    const hexWidth = Math.abs(Number(/l(-?[\d.]+)/.exec(page.layout!.shape)![1])) * 2;
    expect((hexWidth / zoomWidth) * 360).toBeGreaterThan(28);

    const [, , width, height] = data.layout!.viewBox.split(" ").map(Number) as [number, number, number, number];
    const of = (prefix: string) => data.hexes.filter((h) => h.code.startsWith(prefix));
    const [england, scotland, wales, northernIreland] = ["E", "S", "W", "N"].map(of) as [
      typeof data.hexes,
      typeof data.hexes,
      typeof data.hexes,
      typeof data.hexes,
    ];
    expect([england.length, scotland.length, wales.length, northernIreland.length]).toEqual([543, 57, 32, 18]);

    // North is up: the top row is Scottish (Orkney and Shetland), Scotland sits above England.
    expect(data.hexes[0]!.name).toBe("Orkney and Shetland");
    expect(mean(scotland.map((h) => h.y))).toBeLessThan(mean(england.map((h) => h.y)));
    expect(Math.max(...scotland.map((h) => h.y))).toBeLessThan(mean(england.map((h) => h.y)));
    // Cornwall is bottom left.
    const stIves = data.hexes.find((h) => h.name === "St Ives")!;
    expect(stIves.code).toBe("E14001511");
    expect(stIves.x).toBeLessThan(width / 2);
    expect(stIves.y).toBeGreaterThan(height * 0.9);
    // Northern Ireland is west of Great Britain, Wales west of England, London south-east.
    expect(Math.max(...northernIreland.map((h) => h.x))).toBeLessThan(Math.min(...scotland.map((h) => h.x)));
    expect(mean(wales.map((h) => h.x))).toBeLessThan(mean(england.map((h) => h.x)));
    const londonHexes = data.hexes.filter((h) => h.place === "London, England");
    expect(londonHexes).toHaveLength(75);
    expect(mean(londonHexes.map((h) => h.x))).toBeGreaterThan(width / 2);
    expect(mean(londonHexes.map((h) => h.y))).toBeGreaterThan(height / 2);
  });
});
