// The map's geometry (d3-hexjson behind a small adapter) and its colouring
// rules, without a database or a browser.
import { expect, test } from "vitest";
import { hexLayoutKinds, type HexLayoutKind } from "#db/enums";
import { candidateLines, tooltipPosition } from "~/enhance/map-tooltip.js";
import {
  d3LayoutFor,
  groupOutlines,
  layoutHexes,
  parseViewBox,
  zoomViewBox,
  type HexPosition,
} from "~/utils/hex-geometry.server";
import {
  constituencyMapStatus,
  hexClassName,
  hexLinkLabel,
  mapPath,
  mapStatusLabel,
  packCandidates,
} from "~/utils/map";

function grid({ qs, rs }: { qs: number[]; rs: number[] }): HexPosition[] {
  return qs.flatMap((q) => rs.map((r) => ({ key: `Q${q}R${r}`, q, r })));
}

function range(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The outline's corners, from the relative path the geometry gives. */
function corners(shape: string) {
  const match = /^m(\S+) (\S+)l(.*)z$/.exec(shape);
  if (!match) throw new Error(`Unexpected shape ${shape}`);
  const steps = match[3]!.split(" ").map(Number);
  const points = [{ x: Number(match[1]), y: Number(match[2]) }];
  for (let i = 0; i < steps.length; i += 2) {
    const last = points[points.length - 1]!;
    points.push({ x: last.x + steps[i]!, y: last.y + steps[i + 1]! });
  }
  return points;
}

function place(layout: HexLayoutKind, hexes: HexPosition[]) {
  const geometry = layoutHexes({ layout, hexes });
  if (!geometry) throw new Error("no geometry");
  const at = (key: string) => geometry.centres.get(key)!;
  const radius = Math.max(...corners(geometry.shape).map((p) => Math.hypot(p.x, p.y)));
  return { geometry, at, radius };
}

test.each(hexLayoutKinds)("%s: every hex has its own centre, and no two hexes overlap", (layout) => {
  // Offsets chosen so that the top row and the leftmost column are odd as well as even.
  for (const [dq, dr] of [
    [0, 0],
    [1, 1],
    [42, -46],
  ] as const) {
    const hexes = grid({ qs: range(dq, dq + 5), rs: range(dr - 5, dr) });
    const { geometry, radius } = place(layout, hexes);
    const centres = [...geometry.centres.values()];
    expect(new Set(centres.map((c) => `${c.x},${c.y}`)).size).toBe(hexes.length);

    // Hexes of circumradius R touch when their centres are √3·R apart; closer would overlap.
    const touching = Math.sqrt(3) * radius;
    let nearest = Infinity;
    const neighbours = new Map<number, number>();
    centres.forEach((a, i) =>
      centres.forEach((b, j) => {
        if (i === j) return;
        const d = Math.hypot(a.x - b.x, a.y - b.y);
        nearest = Math.min(nearest, d);
        if (Math.abs(d - touching) < 0.3) neighbours.set(i, (neighbours.get(i) ?? 0) + 1);
      }),
    );
    expect(nearest).toBeGreaterThan(touching - 0.3);
    // A 6×6 block tiles: its inner hexes touch six others.
    expect(Math.max(...neighbours.values())).toBe(6);

    // Everything sits inside the viewBox.
    for (const c of centres) {
      expect(c.x - radius).toBeGreaterThanOrEqual(0);
      expect(c.y - radius).toBeGreaterThanOrEqual(0);
      expect(c.x + radius).toBeLessThanOrEqual(geometry.width);
      expect(c.y + radius).toBeLessThanOrEqual(geometry.height);
    }
  }
});

test("row layouts draw pointy-topped hexes, column layouts flat-topped ones", () => {
  const hexes = grid({ qs: [0, 1], rs: [0, 1] });
  const pointy = corners(place("odd-r", hexes).geometry.shape);
  expect(pointy[0]!.x).toBe(0);
  expect(pointy[0]!.y).toBeLessThan(0);
  const flat = corners(place("odd-q", hexes).geometry.shape);
  expect(flat[0]!.y).toBe(0);
  expect(flat[0]!.x).toBeLessThan(0);
});

test("r counts rows from the bottom, as in Open Innovations' HexJSON: a higher r is higher on the map", () => {
  for (const layout of hexLayoutKinds) {
    const { at } = place(layout, grid({ qs: [0, 1, 2], rs: [-3, -2, -1, 0] }));
    expect(at("Q0R0").y, layout).toBeLessThan(at("Q0R-1").y);
    expect(at("Q0R-1").y, layout).toBeLessThan(at("Q0R-3").y);
    expect(at("Q0R0").x, layout).toBeLessThan(at("Q2R0").x);
  }
});

test("odd-r shoves odd rows half a hex right, even-r even rows, whatever the top row is", () => {
  for (const rs of [
    [0, 1],
    [1, 2],
    [-47, -46],
    [-46, -45],
  ]) {
    const hexes = grid({ qs: [0, 1], rs });
    const [even, odd] = rs[0]! % 2 === 0 ? [rs[0]!, rs[1]!] : [rs[1]!, rs[0]!];
    const oddR = place("odd-r", hexes);
    const shift = oddR.at(`Q0R${odd}`).x - oddR.at(`Q0R${even}`).x;
    const half = (Math.sqrt(3) * oddR.radius) / 2;
    expect(shift, `odd-r, rows ${rs}`).toBeCloseTo(half, 0);
    const evenR = place("even-r", hexes);
    expect(evenR.at(`Q0R${even}`).x - evenR.at(`Q0R${odd}`).x, `even-r, rows ${rs}`).toBeCloseTo(half, 0);
  }
});

test("odd-q shoves odd columns half a hex down, even-q even columns, whatever the first column is", () => {
  for (const qs of [
    [0, 1],
    [1, 2],
    [41, 42],
    [42, 43],
  ]) {
    const hexes = grid({ qs, rs: [0, 1] });
    const [even, odd] = qs[0]! % 2 === 0 ? [qs[0]!, qs[1]!] : [qs[1]!, qs[0]!];
    const oddQ = place("odd-q", hexes);
    const half = (Math.sqrt(3) * oddQ.radius) / 2;
    expect(oddQ.at(`Q${odd}R0`).y - oddQ.at(`Q${even}R0`).y, `odd-q, columns ${qs}`).toBeCloseTo(half, 0);
    const evenQ = place("even-q", hexes);
    expect(evenQ.at(`Q${even}R0`).y - evenQ.at(`Q${odd}R0`).y, `even-q, columns ${qs}`).toBeCloseTo(half, 0);
  }
});

test("d3-hexjson is handed the other parity only when its own count would start on an odd row or column", () => {
  expect(d3LayoutFor("odd-r", grid({ qs: [0], rs: [-2, 0] }))).toBe("odd-r");
  expect(d3LayoutFor("odd-r", grid({ qs: [0], rs: [-2, -1] }))).toBe("even-r");
  expect(d3LayoutFor("even-r", grid({ qs: [0], rs: [1] }))).toBe("odd-r");
  expect(d3LayoutFor("odd-q", grid({ qs: [42, 72], rs: [0] }))).toBe("odd-q");
  expect(d3LayoutFor("even-q", grid({ qs: [-3, 4], rs: [0] }))).toBe("odd-q");
  expect(layoutHexes({ layout: "odd-r", hexes: [] })).toBeNull();
});

test("coordinates are rounded to one decimal place, and the viewBox starts at 0 0", () => {
  const { geometry } = place("odd-r", grid({ qs: range(42, 72), rs: range(-46, 0) }));
  expect(geometry.viewBox).toMatch(/^0 0 \d+(\.\d)? \d+(\.\d)?$/);
  for (const c of geometry.centres.values()) {
    expect(String(c.x)).toMatch(/^\d+(\.\d)?$/);
    expect(String(c.y)).toMatch(/^\d+(\.\d)?$/);
  }
  expect(geometry.shape).toMatch(/^m[-\d. ]+l[-\d. ]+z$/);
});

test("a constituency takes the best status among its standing candidates", () => {
  const standing = (status: Parameters<typeof constituencyMapStatus>[0][number]["status"]) => ({
    standing: true,
    status,
  });
  expect(constituencyMapStatus([])).toBe("none");
  expect(constituencyMapStatus([{ standing: false, status: "withdrawn" }])).toBe("none");
  expect(constituencyMapStatus([standing("no-answer"), { standing: false, status: "withdrawn" }])).toBe("no-answer");
  expect(constituencyMapStatus([standing("no-answer"), standing("declined")])).toBe("declined");
  expect(constituencyMapStatus([standing("declined"), standing("signed-some"), standing("no-answer")])).toBe(
    "signed-some",
  );
  expect(constituencyMapStatus([standing("signed-some"), standing("signed-all"), standing("declined")])).toBe(
    "signed-all",
  );
});

test("each hex is named for its constituency and status, and says when the filters leave it out", () => {
  expect(hexLinkLabel({ name: "Ashbourne Vale", status: "no-answer", matches: true })).toBe(
    "Ashbourne Vale: No answer yet",
  );
  expect(hexLinkLabel({ name: "Penmôr", status: "declined", matches: false })).toBe(
    "Penmôr: Declined (not matching the filters)",
  );
  expect(hexLinkLabel({ name: "Calderbrook", status: "none", matches: false, partyName: "Green Party" })).toBe(
    "Calderbrook: No Green Party candidate (not matching the filters)",
  );
  expect(mapStatusLabel("none")).toBe("No candidates standing");
  expect(mapStatusLabel("signed-all")).toBe("Signed every point");
});

test("a hex is coloured by its status, or greyed out when the filters leave it out", () => {
  expect(hexClassName("signed-all", true)).toBe("s-signed-all");
  expect(hexClassName("declined", true)).toBe("s-declined");
  expect(hexClassName("signed-all", false)).toBe("s-dim");
});

test("the tooltip opens beside the hex, towards the middle of the map", () => {
  const frame = { left: 100, top: 50, width: 600, height: 800 };
  expect(tooltipPosition({ left: 150, top: 100, width: 20, height: 22 }, frame)).toEqual({ left: 78, top: 50 });
  expect(tooltipPosition({ left: 600, top: 700, width: 20, height: 22 }, frame)).toEqual({ right: 108, bottom: 128 });
});

test("the tooltips' candidates travel packed, one line each, and unpack to what went in", () => {
  const candidates = [
    {
      name: "Siôn ap Dafydd",
      partyId: "PP77",
      partyName: "Plaid Cymru - The Party of Wales",
      status: "signed-all" as const,
    },
    { name: "Tab\tand\nnewline", partyId: "ynmp-party:2", partyName: "Independent", status: "no-answer" as const },
  ];
  const packed = packCandidates(
    candidates,
    new Map([
      ["PP77", 1],
      ["ynmp-party:2", 0],
    ]),
  );
  expect(packed).toBe("Siôn ap Dafydd\t1\t0\nTab and newline\t0\t3");
  // The tooltip script reads them back with the names the tooltips' data sends.
  const data = {
    parties: ["Independent", "Plaid Cymru - The Party of Wales"],
    answers: ["Signed every point", "Signed some points", "Declined", "No answer yet", "Withdrawn"],
    seats: {},
  };
  expect(candidateLines(packed, data)).toEqual([
    "Siôn ap Dafydd (Plaid Cymru - The Party of Wales): Signed every point",
    "Tab and newline (Independent): No answer yet",
  ]);
  expect(candidateLines("", data)).toEqual([]);
});

// ---- Outlines and zoom

/** The closed loops of an outline path, each as its absolute corner points. */
function loops(path: string) {
  return [...path.matchAll(/M(\S+) (\S+)l([^z]*)z/g)].map((m) => {
    const steps = m[3]!.trim().split(" ").map(Number);
    const points = [{ x: Number(m[1]), y: Number(m[2]) }];
    for (let i = 0; i < steps.length; i += 2) {
      const last = points[points.length - 1]!;
      points.push({ x: Math.round((last.x + steps[i]!) * 10) / 10, y: Math.round((last.y + steps[i + 1]!) * 10) / 10 });
    }
    return points;
  });
}

test.each(hexLayoutKinds)("%s: one hex alone is outlined by its own six sides", (layout) => {
  const { geometry } = place(layout, grid({ qs: [3], rs: [-2] }));
  const outline = groupOutlines({ geometry, groupOf: () => "A" }).get("A")!;
  const [loop, ...more] = loops(outline);
  expect(more).toEqual([]);
  expect(loop).toHaveLength(6);
  const centre = geometry.centres.get("Q3R-2")!;
  const radius = Math.max(...corners(geometry.shape).map((p) => Math.hypot(p.x, p.y)));
  for (const p of loop!) expect(Math.hypot(p.x - centre.x, p.y - centre.y)).toBeCloseTo(radius, 0);
});

test.each(hexLayoutKinds)(
  "%s: a block split in two groups: each outline is one closed loop round its own hexes, sharing the sides between them",
  (layout) => {
    // 4 × 4 hexes, q < 2 in group W, the rest in E, with odd and even offsets.
    const hexes = grid({ qs: [41, 42, 43, 44], rs: [-47, -46, -45, -44] });
    const { geometry, radius } = place(layout, hexes);
    const groupOf = (key: string) => (Number(/Q(-?\d+)/.exec(key)![1]) < 43 ? "W" : "E");
    const outlines = groupOutlines({ geometry, groupOf });
    expect([...outlines.keys()].sort()).toEqual(["E", "W"]);
    const west = loops(outlines.get("W")!);
    const east = loops(outlines.get("E")!);
    expect(west).toHaveLength(1);
    expect(east).toHaveLength(1);
    // Every corner of an outline is a corner of a hex of its group, and none is inside the group.
    const side = Math.sqrt(3) * radius;
    for (const [name, loop] of [
      ["W", west[0]!],
      ["E", east[0]!],
    ] as const) {
      for (const p of loop) {
        const near = [...geometry.centres].filter(([, c]) => Math.hypot(c.x - p.x, c.y - p.y) < radius + 0.3);
        expect(near.length, `${name} corner ${p.x},${p.y}`).toBeGreaterThan(0);
        expect(near.some(([key]) => groupOf(key) === name)).toBe(true);
        // A corner with three hexes of its own group round it would be inside the group.
        expect(near.filter(([key]) => groupOf(key) === name).length).toBeLessThan(3);
      }
      // Consecutive corners are one hex side apart: the loop walks sides, never jumps.
      loop.forEach((p, i) => {
        const q = loop[(i + 1) % loop.length]!;
        expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeCloseTo(side / Math.sqrt(3), 0);
      });
    }
    // The two loops meet along the border between them.
    const key = (p: { x: number; y: number }) => `${p.x},${p.y}`;
    const shared = west[0]!.map(key).filter((k) => east[0]!.map(key).includes(k));
    expect(shared.length).toBeGreaterThanOrEqual(4);
  },
);

test("hexes in no group are left out, and a group in two pieces gets two loops", () => {
  const { geometry } = place("odd-r", grid({ qs: [0, 1, 2, 3, 4], rs: [0] }));
  const outlines = groupOutlines({ geometry, groupOf: (key) => (key === "Q2R0" ? undefined : "A") });
  expect(loops(outlines.get("A")!)).toHaveLength(2);
  expect(outlines.size).toBe(1);
});

test("zooming frames the chosen hexes with padding, at least a few hexes across, inside the whole map", () => {
  const { geometry, at, radius } = place("odd-r", grid({ qs: range(0, 29), rs: range(-39, 0) }));
  const block = grid({ qs: range(10, 19), rs: range(-30, -21) }).map((h) => h.key);
  const view = zoomViewBox({ geometry, keys: block })!;
  for (const key of block) {
    const c = at(key);
    expect(c.x - radius).toBeGreaterThanOrEqual(view.x);
    expect(c.y - radius).toBeGreaterThanOrEqual(view.y);
    expect(c.x + radius).toBeLessThanOrEqual(view.x + view.width);
    expect(c.y + radius).toBeLessThanOrEqual(view.y + view.height);
  }
  // Much closer than the whole map: about ten hexes of thirty across.
  expect(view.width).toBeLessThan(geometry.width / 2);

  // One hex in a corner: grown to a readable few hexes, and not past the map's edge.
  const corner = zoomViewBox({ geometry, keys: ["Q0R0"] })!;
  expect(corner.x).toBe(0);
  expect(corner.y).toBe(0);
  expect(corner.width).toBeGreaterThan(6 * Math.sqrt(3) * radius);
  expect(corner.width).toBeLessThan(geometry.width);
  expect(zoomViewBox({ geometry, keys: ["nowhere"] })).toBeNull();
  expect(parseViewBox("1.5 2 300 400.5")).toEqual({ x: 1.5, y: 2, width: 300, height: 400.5 });
});

test("a view of the map keeps its filters, zoom and seat in the address, in the forms' order", () => {
  expect(mapPath({})).toBe("/map");
  expect(mapPath({ seat: "bryngor", party: "PP90", region: "wales", status: "declined" })).toBe(
    "/map?party=PP90&status=declined&region=wales&seat=bryngor",
  );
});
