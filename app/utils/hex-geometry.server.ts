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

// ---- Outlines and zoom, from the finished geometry ----

type Point = { x: number; y: number };

/** The corners of one hex, relative to its centre, read back from `shape`. */
function shapeCorners(shape: string): Point[] {
  const match = /^m(\S+) (\S+)l(.*)z$/.exec(shape);
  if (!match) throw new Error(`not a hex shape: ${shape}`);
  const steps = match[3]!.split(" ").map(Number);
  const corners = [{ x: Number(match[1]), y: Number(match[2]) }];
  for (let i = 0; i + 1 < steps.length; i += 2) {
    const last = corners[corners.length - 1]!;
    corners.push({ x: last.x + steps[i]!, y: last.y + steps[i + 1]! });
  }
  return corners;
}

/** The smallest gap between distinct values: the lattice step that corners sit on. */
function latticeStep(values: number[]) {
  const sorted = [...new Set(values.map(round1))].sort((a, b) => a - b);
  let step = Infinity;
  for (let i = 1; i < sorted.length; i++) step = Math.min(step, sorted[i]! - sorted[i - 1]!);
  return step;
}

/**
 * One SVG path per group (a region, a nation) tracing its edge: every hex
 * side whose neighbour is in another group, or is no hex at all (the sea).
 *
 * Hex corners all sit on a lattice (half a hex across by half a side down,
 * for pointy tops; turned for flat tops), so each corner is named by whole
 * lattice steps, which the 0.1-unit rounding of centres cannot disturb. A
 * side is inside a group when the hex across it (the same side walked the
 * other way) is in the group too; the rest are chained end to start into
 * closed loops, written as a start and relative steps (six different steps
 * in all, which gzip makes almost free).
 */
export function groupOutlines({
  geometry,
  groupOf,
}: {
  geometry: Pick<HexGeometry, "shape" | "centres">;
  /** The group of each hex key; hexes without one are left out. */
  groupOf: (key: string) => string | undefined;
}): Map<string, string> {
  const corners = shapeCorners(geometry.shape);
  const stepX = latticeStep(corners.map((c) => c.x));
  const stepY = latticeStep(corners.map((c) => c.y));
  const first = geometry.centres.values().next().value;
  const outlines = new Map<string, string>();
  if (!first) return outlines;

  // Each lattice corner keeps the first position computed for it (a centre
  // plus a corner's offset), so neighbouring hexes draw it at the same place.
  const points = new Map<string, Point>();
  const lattice = (x: number, y: number) => {
    const key = `${Math.round((x - first.x) / stepX)},${Math.round((y - first.y) / stepY)}`;
    if (!points.has(key)) points.set(key, { x: round1(x), y: round1(y) });
    return key;
  };
  const pointOf = (key: string) => points.get(key)!;

  // Each group's sides, directed as the shape walks round its hex.
  const sides = new Map<string, Map<string, string>>();
  for (const [key, centre] of geometry.centres) {
    const group = groupOf(key);
    if (group === undefined) continue;
    const own = sides.get(group) ?? new Map<string, string>();
    sides.set(group, own);
    const names = corners.map((c) => lattice(centre.x + c.x, centre.y + c.y));
    names.forEach((from, i) => own.set(`${from}>${names[(i + 1) % names.length]}`, from));
  }

  for (const [group, own] of sides) {
    // From each corner, the boundary sides leaving it (two where a group touches itself at a point).
    const leaving = new Map<string, string[]>();
    for (const side of own.keys()) {
      const [from, to] = side.split(">") as [string, string];
      if (own.has(`${to}>${from}`)) continue;
      leaving.set(from, [...(leaving.get(from) ?? []), to]);
    }
    const loops: string[] = [];
    for (const start of leaving.keys()) {
      while ((leaving.get(start)?.length ?? 0) > 0) {
        let at = pointOf(start);
        let path = `M${at.x} ${at.y}l`;
        const steps: string[] = [];
        let corner = start;
        for (;;) {
          const next = leaving.get(corner)!.shift()!;
          const to = pointOf(next);
          corner = next;
          if (corner === start) break;
          steps.push(`${round1(to.x - at.x)} ${round1(to.y - at.y)}`);
          at = to;
        }
        path += `${steps.join(" ")}z`;
        loops.push(path);
      }
    }
    outlines.set(group, loops.join(""));
  }
  return outlines;
}

export type ViewBox = { x: number; y: number; width: number; height: number };

/** "0 0 1000 800" → its numbers. */
export function parseViewBox(viewBox: string): ViewBox {
  const [x = 0, y = 0, width = 0, height = 0] = viewBox.split(" ").map(Number);
  return { x, y, width, height };
}

export function viewBoxString({ x, y, width, height }: ViewBox) {
  return `${round1(x)} ${round1(y)} ${round1(width)} ${round1(height)}`;
}

/**
 * The view of a few hexes, for zooming into a region: their bounding box
 * with half a hex of padding all round (enough to show the neighbours are
 * there, little enough that London's hexes are 30 px wide on a phone), grown about its centre to at
 * least `minHexes` hexes across and down so that a small region is not
 * blown up to a few giant hexes, and kept within the whole map.
 */
export function zoomViewBox({
  geometry,
  keys,
  minHexes = 7,
}: {
  geometry: Pick<HexGeometry, "shape" | "centres" | "width" | "height">;
  keys: Iterable<string>;
  minHexes?: number;
}): ViewBox | null {
  const corners = shapeCorners(geometry.shape);
  const hexWidth = Math.max(...corners.map((c) => c.x)) - Math.min(...corners.map((c) => c.x));
  const hexHeight = Math.max(...corners.map((c) => c.y)) - Math.min(...corners.map((c) => c.y));
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const key of keys) {
    const c = geometry.centres.get(key);
    if (!c) continue;
    minX = Math.min(minX, c.x);
    maxX = Math.max(maxX, c.x);
    minY = Math.min(minY, c.y);
    maxY = Math.max(maxY, c.y);
  }
  if (minX === Infinity) return null;
  const pad = (extent: number, hex: number, whole: number) =>
    Math.min(whole, Math.max(extent + 2 * hex, minHexes * hex));
  const width = pad(maxX - minX, hexWidth, geometry.width);
  const height = pad(maxY - minY, hexHeight, geometry.height);
  const clamp = (start: number, size: number, whole: number) => Math.min(Math.max(0, start), whole - size);
  return {
    x: round1(clamp((minX + maxX - width) / 2, width, geometry.width)),
    y: round1(clamp((minY + maxY - height) / 2, height, geometry.height)),
    width: round1(width),
    height: round1(height),
  };
}
