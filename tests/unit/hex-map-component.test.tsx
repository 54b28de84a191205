// @vitest-environment jsdom
// The map component as people meet it: links named for the constituency and
// its status, a key with counts, and (with JavaScript) the tooltip, which is
// a plain script of its own (app/enhance/map-tooltip.js) over the server's HTML.
import { cleanup, render, screen, waitFor, within } from "@testing-library/react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeAll, expect, test, vi } from "vitest";
import { HexMap, HexMapKey, type HexMapHex } from "~/components/hex-map";
import { packCandidates } from "~/utils/map";

afterEach(() => {
  cleanup();
  document.body.innerHTML = "";
});

const shape = "m0 -10l8.7 5 0 10 -8.7 5 -8.7 -5 0 -10z";

const hexes: HexMapHex[] = [
  {
    code: "E14009004",
    name: "Ashbourne Vale",
    slug: "ashbourne-vale",
    x: 20,
    y: 12,
    status: "signed-some",
    matches: true,
  },
  { code: "W07009002", name: "Penmôr", slug: "penmor", x: 37.4, y: 12, status: "declined", matches: false },
];

const tooltips = {
  parties: ["Labour Party", "Liberal Democrats"],
  answers: ["Signed every point", "Signed some points", "Declined", "No answer yet", "Withdrawn"],
  seats: {
    "ashbourne-vale": [
      "Ashbourne Vale",
      "Signed some points",
      packCandidates(
        [
          { name: "Ruth Adeyemi", partyId: "PP53", partyName: "Labour Party", status: "signed-some" },
          { name: "Felix Garrowby", partyId: "PP90", partyName: "Liberal Democrats", status: "no-answer" },
        ],
        new Map([
          ["PP53", 0],
          ["PP90", 1],
        ]),
      ),
    ],
    penmor: ["Penmôr", "Declined", ""],
  },
};

const fetched: string[] = [];

beforeAll(async () => {
  vi.stubGlobal("fetch", async (url: string) => {
    fetched.push(url);
    return new Response(JSON.stringify(tooltips), { headers: { "Content-Type": "application/json" } });
  });
  // The script listens on the document, as it does on the page.
  await import("~/enhance/map-tooltip.js");
});

function mapElement(props: Partial<Parameters<typeof HexMap>[0]> = {}) {
  return (
    <HexMap
      title="Hex map of 2 constituencies"
      viewBox="0 0 60 30"
      shape={shape}
      hexes={hexes}
      tooltips="/map/tooltips.json"
      {...props}
    />
  );
}

/** The map as the server sends it: markup only, no React in the browser. */
function serverMap(props: Partial<Parameters<typeof HexMap>[0]> = {}) {
  document.body.innerHTML = renderToStaticMarkup(mapElement(props));
  return document.body;
}

test("without JavaScript the map is an SVG of links, one per hex, each named for its constituency and status", () => {
  const html = renderToStaticMarkup(mapElement());
  expect(html).toContain('<div class="hex-map" data-tooltips="/map/tooltips.json">');
  expect(html).toContain('<svg class="hex-map__svg" viewBox="0 0 60 30" role="group" aria-labelledby="hex-map-title">');
  expect(html).toContain('<title id="hex-map-title">Hex map of 2 constituencies</title>');
  expect(html).toContain(
    '<a href="/constituencies/ashbourne-vale" aria-label="Ashbourne Vale: Signed some points" class="s-signed-some"><path d="M20 12m0 -10l8.7 5 0 10 -8.7 5 -8.7 -5 0 -10z"></path></a>',
  );
  expect(html).toContain('aria-label="Penmôr: Declined (not matching the filters)" class="s-dim"');
  // No per-hex styles, no candidates in the page, and no tooltip until someone points at a hex.
  expect(html).not.toContain("style=");
  expect(html).not.toContain("Ruth Adeyemi");
  expect(html).not.toContain('role="tooltip"');
});

test("outlines, labels and a ringed seat are drawn for the eye alone; the seat's link says it is the current location", () => {
  const html = renderToStaticMarkup(
    mapElement({
      outlines: { regions: ["M1 1l2 0z"], nations: ["M5 5l2 0z"] },
      labels: [{ text: "Wales", x: 37.4, y: 12, kind: "nation" }],
      context: [{ x: 54.7, y: 12 }],
      seatCode: "W07009002",
    }),
  );
  expect(html).toContain(
    '<g class="hex-map__outlines" aria-hidden="true"><path class="hex-map__region" d="M1 1l2 0z"></path><path class="hex-map__nation" d="M5 5l2 0z"></path></g>',
  );
  expect(html).toMatch(
    /<g class="hex-map__labels" aria-hidden="true" font-size="1\.5"><text x="37\.4" y="12"[^>]*>Wales<\/text>/,
  );
  expect(html).toContain('<path class="hex-map__context" d="M54.7 12m0 -10');
  expect(html).toContain('aria-current="location"');
  expect(html.match(/aria-current/g)).toHaveLength(1);
  expect(html).toContain('<path class="hex-map__ring hex-map__ring--seat" d="M37.4 12m0 -10');
});

test("focusing a hex fetches the candidates once and shows them in a tooltip the link is described by; Escape dismisses it", async () => {
  const page = serverMap();
  const link = within(page).getByRole("link", { name: "Ashbourne Vale: Signed some points" });
  link.focus();
  const tooltip = await screen.findByRole("tooltip");
  expect(link.getAttribute("aria-describedby")).toBe(tooltip.id);
  expect(within(tooltip).getByText("Ashbourne Vale")).toBeTruthy();
  expect(within(tooltip).getByText("Signed some points")).toBeTruthy();
  expect(within(tooltip).getByText("Ruth Adeyemi (Labour Party): Signed some points")).toBeTruthy();
  expect(within(tooltip).getByText("Felix Garrowby (Liberal Democrats): No answer yet")).toBeTruthy();
  // A ring is drawn over the hex.
  expect(page.querySelector(".hex-map__ring--focus")?.getAttribute("d")).toBe(
    link.querySelector("path")?.getAttribute("d"),
  );

  document.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
  expect(screen.queryByRole("tooltip")).toBeNull();
  expect(page.querySelector(".hex-map__ring--focus")).toBeNull();

  link.blur();
  expect(link.getAttribute("aria-describedby")).toBeNull();
  expect(fetched).toEqual(["/map/tooltips.json"]);
});

test("hovering a hex shows its tooltip, and leaving the map hides it", async () => {
  const page = serverMap();
  const penmor = within(page).getByRole("link", { name: /^Penmôr/ });
  penmor.querySelector("path")!.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
  await waitFor(() => expect(screen.getByRole("tooltip").textContent).toBe("PenmôrDeclined"));
  document.body.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
  expect(screen.queryByRole("tooltip")).toBeNull();
  // Still the one fetch: the tooltips' data is kept.
  expect(fetched).toEqual(["/map/tooltips.json"]);
});

test("the key lists each status with its count, and the greyed-out hexes when filtered", () => {
  render(
    <HexMapKey
      counts={{ "signed-all": 1, "signed-some": 2, declined: 0, "no-answer": 12, none: 0, dim: 3 }}
      filtered
    />,
  );
  const items = within(screen.getByRole("list", { name: "Key" }))
    .getAllByRole("listitem")
    .map((li) => li.textContent);
  expect(items).toEqual([
    "Signed every point1 constituency",
    "Signed some points2 constituencies",
    "Declined0 constituencies",
    "No answer yet12 constituencies",
    "Not matching the filters3 constituencies",
  ]);
});
