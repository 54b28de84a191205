// Where each hex of a HexJSON layout goes, computed with d3-hexjson on the
// server only: the browser gets finished coordinates, never d3.
import { renderHexJSON, type HexJsonLayout } from "d3-hexjson";
import type { HexLayoutKind } from "#db/enums";

export type HexPosition = { key: string; q: number; r: number };

export type HexGeometry = {
  /** Holds every hex, with a margin for the focus outline; starts at 0 0. */
  viewBox: string;
  width: number;
  height: number;
  /** One hex's outline relative to its centre: `M${x} ${y}${shape}` draws it. */
  shape: string;
  /** Centre of each hex by key, in viewBox units, to one decimal place. */
  centres: Map<string, { x: number; y: number }>;
};

const otherParity: Record<HexJsonLayout, HexJsonLayout> = {
  "odd-r": "even-r",
  "even-r": "odd-r",
  "odd-q": "even-q",
  "even-q": "odd-q",
};

/**
 * HexJSON decides which rows (odd-r, even-r) or columns (odd-q, even-q) are
 * shoved half a hex over by the parity of r or q itself, as Open Innovations'
 * own renderer does. d3-hexjson counts that parity from the top row
 * (rmax − r) or the leftmost column (q − qmin) instead, so it agrees only when
 * that row or column is even; when it is odd, the same picture is the other
 * kind of layout. (Its r grows upwards, as in HexJSON: no flip is needed.)
 */
export function d3LayoutFor(layout: HexLayoutKind, hexes: HexPosition[]): HexJsonLayout {
  if (hexes.length === 0) return layout;
  const byRow = layout === "odd-r" || layout === "even-r";
  const edge = byRow ? Math.max(...hexes.map((h) => h.r)) : Math.min(...hexes.map((h) => h.q));
  return Math.abs(edge) % 2 === 1 ? otherParity[layout] : layout;
}

// The viewBox is nominally 1000 units on its longer side: at one decimal
// place that keeps every hex true to within a twentieth of a percent.
const NOMINAL_SIZE = 1000;

function round1(n: number) {
  const rounded = Math.round(n * 10) / 10;
  return rounded === 0 ? 0 : rounded;
}

export function layoutHexes({ layout, hexes }: { layout: HexLayoutKind; hexes: HexPosition[] }): HexGeometry | null {
  if (hexes.length === 0) return null;
  // renderHexJSON writes onto the hexes it is given: give it copies.
  const input = Object.fromEntries(hexes.map((h) => [h.key, { q: h.q, r: h.r }]));
  const rendered = renderHexJSON({ layout: d3LayoutFor(layout, hexes), hexes: input }, NOMINAL_SIZE, NOMINAL_SIZE);
  const vertices = rendered[0]!.vertices;
  const radius = Math.max(...vertices.map((v) => Math.hypot(v.x, v.y)));
  const margin = radius * 0.25;
  const xs = vertices.map((v) => v.x);
  const ys = vertices.map((v) => v.y);
  const minX = Math.min(...rendered.map((h) => h.x)) + Math.min(...xs) - margin;
  const maxX = Math.max(...rendered.map((h) => h.x)) + Math.max(...xs) + margin;
  const minY = Math.min(...rendered.map((h) => h.y)) + Math.min(...ys) - margin;
  const maxY = Math.max(...rendered.map((h) => h.y)) + Math.max(...ys) + margin;
  const width = round1(maxX - minX);
  const height = round1(maxY - minY);

  const [first, ...rest] = vertices;
  const steps = rest.map((v, i) => `${round1(v.x - vertices[i]!.x)} ${round1(v.y - vertices[i]!.y)}`);
  const shape = `m${round1(first!.x)} ${round1(first!.y)}l${steps.join(" ")}z`;

  return {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    shape,
    centres: new Map(rendered.map((h) => [h.key, { x: round1(h.x - minX), y: round1(h.y - minY) }])),
  };
}
