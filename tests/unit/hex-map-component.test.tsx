// @vitest-environment jsdom
// The map component as people meet it: links named for the constituency and
// its status, a key with counts, and (with JavaScript) the tooltip.
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, expect, test } from "vitest";
import { HexMap, HexMapKey, type HexMapHex } from "~/components/hex-map";
import { packCandidates } from "~/utils/map";

afterEach(cleanup);

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
    candidates: packCandidates(
      [
        { name: "Ruth Adeyemi", partyId: "PP53", partyName: "Labour Party", status: "signed-some" },
        { name: "Felix Garrowby", partyId: "PP90", partyName: "Liberal Democrats", status: "no-answer" },
      ],
      new Map([
        ["PP53", 0],
        ["PP90", 1],
      ]),
    ),
  },
  {
    code: "W07009002",
    name: "Penmôr",
    slug: "penmor",
    x: 37.4,
    y: 12,
    status: "declined",
    matches: false,
    candidates: "",
  },
];
const partyNames = ["Labour Party", "Liberal Democrats"];

function renderMap() {
  return render(
    <HexMap
      title="Hex map of 2 constituencies"
      viewBox="0 0 60 30"
      shape={shape}
      hexes={hexes}
      partyNames={partyNames}
    />,
  );
}

test("without JavaScript the map is an SVG of links, one per hex, each named for its constituency and status", () => {
  const html = renderToStaticMarkup(
    <HexMap
      title="Hex map of 2 constituencies"
      viewBox="0 0 60 30"
      shape={shape}
      hexes={hexes}
      partyNames={partyNames}
    />,
  );
  expect(html).toContain('<svg class="hex-map__svg" viewBox="0 0 60 30" role="group" aria-labelledby="hex-map-title">');
  expect(html).toContain('<title id="hex-map-title">Hex map of 2 constituencies</title>');
  expect(html).toContain(
    '<a href="/constituencies/ashbourne-vale" aria-label="Ashbourne Vale: Signed some points" class="s-signed-some"><path d="M20 12m0 -10l8.7 5 0 10 -8.7 5 -8.7 -5 0 -10z"></path></a>',
  );
  expect(html).toContain('aria-label="Penmôr: Declined (not matching the filters)" class="s-dim"');
  // No per-hex styles, and no tooltip until someone points at a hex.
  expect(html).not.toContain("style=");
  expect(html).not.toContain('role="tooltip"');
});

test("focusing a hex shows its candidates in a tooltip the link is described by; Escape dismisses it", () => {
  renderMap();
  const link = screen.getByRole("link", { name: "Ashbourne Vale: Signed some points" });
  fireEvent.focus(link);
  const tooltip = screen.getByRole("tooltip");
  expect(link.getAttribute("aria-describedby")).toBe(tooltip.id);
  expect(within(tooltip).getByText("Ashbourne Vale")).toBeTruthy();
  expect(within(tooltip).getByText("Ruth Adeyemi (Labour Party): Signed some points")).toBeTruthy();
  expect(within(tooltip).getByText("Felix Garrowby (Liberal Democrats): No answer yet")).toBeTruthy();

  fireEvent.keyDown(document, { key: "Escape" });
  expect(screen.queryByRole("tooltip")).toBeNull();

  fireEvent.blur(link);
  expect(link.getAttribute("aria-describedby")).toBeNull();
});

test("hovering a hex shows its tooltip, and leaving the map hides it", () => {
  const { container } = renderMap();
  fireEvent.mouseOver(screen.getByRole("link", { name: /^Penmôr/ }).querySelector("path")!);
  expect(screen.getByRole("tooltip").textContent).toContain("Penmôr");
  expect(screen.getByRole("tooltip").textContent).toContain("Declined");
  fireEvent.mouseLeave(container.querySelector(".hex-map")!);
  expect(screen.queryByRole("tooltip")).toBeNull();
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
