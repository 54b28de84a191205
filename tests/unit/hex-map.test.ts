// The map's geometry (d3-hexjson behind a small adapter) and its colouring
// rules, without a database or a browser.
import { expect, test } from "vitest";
import { hexLayoutKinds, type HexLayoutKind } from "#db/enums";
import { tooltipPosition } from "~/components/hex-map";
import { d3LayoutFor, layoutHexes, type HexPosition } from "~/utils/hex-geometry.server";
import {
  constituencyMapStatus,
  hexClassName,
  hexLinkLabel,
  mapStatusLabel,
  packCandidates,
  unpackCandidates,
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
  expect(unpackCandidates(packed, ["Independent", "Plaid Cymru - The Party of Wales"])).toEqual([
    { name: "Siôn ap Dafydd", partyName: "Plaid Cymru - The Party of Wales", status: "signed-all" },
    { name: "Tab and newline", partyName: "Independent", status: "no-answer" },
  ]);
  expect(unpackCandidates("", [])).toEqual([]);
});
