import { preparedPerConnection } from "#db/index";
import { and, asc, eq, sql } from "drizzle-orm";
import { nations, type Nation } from "#db/enums";
import { constituencies, hexes } from "#db/schema";
import { findCurrentHexLayout } from "~/models/hex-layout.server";
import { listCandidacyStatuses, type CandidacyStatusRow } from "~/models/pledge-status.server";
import { db } from "~/utils/db.server";
import {
  groupOutlines,
  layoutHexes,
  parseViewBox,
  viewBoxString,
  zoomViewBox,
  type HexGeometry,
} from "~/utils/hex-geometry.server";
import { constituencyMapStatus, mapStatusLabel, packCandidates, type MapCandidate, type MapStatus } from "~/utils/map";
import { slugify } from "~/utils/names";
import { pledgeStatuses, pledgeStatusLabels } from "~/utils/pledge";
import type { MapQuery } from "~/utils/page-query";

export type MapConstituency = {
  code: string;
  name: string;
  slug: string;
  /** "North East, England"; the nation alone for Scotland, Wales and Northern Ireland. */
  place: string;
  nation: Nation;
  /** Its English region; none for Scotland, Wales and Northern Ireland. */
  region?: string;
  /** The zoom areas it is in: its nation's slug, and its English region's. */
  areas: string[];
  status: MapStatus;
  /** False when the filters leave it out: its hex is greyed, its row left out of the table. */
  matches: boolean;
  /** Standing candidates (of the chosen party) who signed every point, as the board counts them. */
  signed: number;
  standing: number;
};

export type MapHex = MapConstituency & { x: number; y: number };

export type MapCounts = Record<MapStatus | "dim", number>;

// Every constituency with its hex in one layout, if it has one. Statuses come
// from listCandidacyStatuses(), the query the board and open data share.
const placesQuery = preparedPerConnection(db, preparePlacesQuery);

function preparePlacesQuery() {
  return db
    .select({
      code: constituencies.gssCode,
      name: constituencies.name,
      slug: constituencies.slug,
      nation: constituencies.nation,
      regionCode: constituencies.regionCode,
      regionName: constituencies.regionName,
      q: hexes.q,
      r: hexes.r,
    })
    .from(constituencies)
    .leftJoin(
      hexes,
      and(eq(hexes.constituencyCode, constituencies.gssCode), eq(hexes.layoutId, sql.placeholder("layoutId"))),
    )
    .orderBy(asc(constituencies.name))
    .prepare();
}

function placeOf(nation: string, regionName: string | null) {
  return nation === "England" && regionName ? `${regionName}, England` : nation;
}

/** A part of the map to zoom to: a nation, or one of England's nine regions. */
export type MapArea = { slug: string; name: string; kind: "nation" | "region"; nation: Nation; constituencies: number };

type Place = ReturnType<ReturnType<typeof placesQuery>["all"]>[number];

// England's regions are only regions of England; Scotland, Wales and
// Northern Ireland are their own region in the data (the region name is the nation's).
function regionOf(place: Pick<Place, "nation" | "regionName">) {
  return place.nation === "England" && place.regionName ? place.regionName : undefined;
}

function areasOf(place: Pick<Place, "nation" | "regionName">) {
  const region = regionOf(place);
  return region ? [slugify(place.nation), slugify(region)] : [slugify(place.nation)];
}

/** The nations, then England's regions in the ONS order (north to south), of the places that have hexes. */
function listAreas(places: Place[]): MapArea[] {
  const areas = new Map<string, MapArea & { order: string }>();
  for (const place of places) {
    const nationSlug = slugify(place.nation);
    const nation = areas.get(nationSlug) ?? {
      slug: nationSlug,
      name: place.nation,
      kind: "nation" as const,
      nation: place.nation,
      constituencies: 0,
      order: `${nations.indexOf(place.nation)}`,
    };
    nation.constituencies++;
    areas.set(nationSlug, nation);
    const region = regionOf(place);
    if (!region) continue;
    const regionSlug = slugify(region);
    const entry = areas.get(regionSlug) ?? {
      slug: regionSlug,
      name: region,
      kind: "region" as const,
      nation: place.nation,
      constituencies: 0,
      order: `${nations.indexOf(place.nation)} ${place.regionCode ?? region}`,
    };
    entry.constituencies++;
    areas.set(regionSlug, entry);
  }
  return [...areas.values()].sort((a, b) => a.order.localeCompare(b.order)).map(({ order: _, ...area }) => area);
}

export type MapLabel = { text: string; x: number; y: number; kind: "nation" | "region" };

/**
 * The lines between England's regions and round each nation, and a label
 * for each: computed from which hexes touch, so any layout gets them. A
 * label sits on the hex nearest its area's middle, so it is always over the
 * area even where the area wraps round another (the South East round London).
 */
function outlinesAndLabels(geometry: HexGeometry, onMap: MapHex[]) {
  const byCode = new Map(onMap.map((h) => [h.code, h]));
  const regions = groupOutlines({ geometry, groupOf: (code) => byCode.get(code)?.region });
  const nationLines = groupOutlines({ geometry, groupOf: (code) => byCode.get(code)?.nation });
  const labels: MapLabel[] = [];
  const groups = new Map<string, { kind: MapLabel["kind"]; hexes: MapHex[] }>();
  for (const hex of onMap) {
    const region = hex.region;
    const name = region ?? hex.nation;
    const group = groups.get(name) ?? { kind: region ? "region" : "nation", hexes: [] };
    group.hexes.push(hex);
    groups.set(name, group);
  }
  for (const [text, { kind, hexes }] of groups) {
    const mx = hexes.reduce((n, h) => n + h.x, 0) / hexes.length;
    const my = hexes.reduce((n, h) => n + h.y, 0) / hexes.length;
    const middle = hexes.reduce((best, h) =>
      Math.hypot(h.x - mx, h.y - my) < Math.hypot(best.x - mx, best.y - my) ? h : best,
    );
    labels.push({ text, x: middle.x, y: middle.y, kind });
  }
  return { regions: [...regions.values()], nations: [...nationLines.values()], labels };
}

export type MapView = {
  /** The area zoomed to, if any. */
  area?: MapArea;
  viewBox: string;
  /** The constituency asked for (`?seat=`), drawn with a ring, if it is on the map. */
  seat?: { code: string; name: string; slug: string; areaName: string };
};

/**
 * Every constituency with its status (the best among its standing candidates,
 * of the chosen party if any) and its candidates, best answers first, in
 * name order; and the parties standing, most candidates first. The map and
 * its tooltips' data both start here.
 */
async function mapConstituencies({ party }: { party?: string }) {
  const rows = await listCandidacyStatuses();

  const parties = new Map<string, { id: string; name: string; candidates: number }>();
  for (const row of rows) {
    const p = parties.get(row.partyId) ?? { id: row.partyId, name: row.partyName, candidates: 0 };
    p.candidates++;
    parties.set(row.partyId, p);
  }
  // A party that stands nowhere (a stale or mistyped link) means no party filter.
  const chosenParty = party ? parties.get(party) : undefined;

  const considered = new Map<string, CandidacyStatusRow[]>();
  for (const row of rows) {
    if (!row.standing || (chosenParty && row.partyId !== chosenParty.id)) continue;
    const list = considered.get(row.constituencyCode) ?? [];
    list.push(row);
    considered.set(row.constituencyCode, list);
  }

  const layout = await findCurrentHexLayout();
  const places = await placesQuery().execute({ layoutId: layout?.id ?? "" });
  return {
    chosenParty,
    parties: [...parties.values()].sort((a, b) => b.candidates - a.candidates || a.name.localeCompare(b.name)),
    layout,
    places: places.map((place) => {
      const candidates = considered.get(place.code) ?? [];
      return {
        place,
        candidates,
        status: constituencyMapStatus(candidates),
      };
    }),
  };
}

/**
 * The map: the current HexJSON layout with every constituency coloured by
 * the best status among its standing candidates (of the chosen party, if
 * any). A status filter greys out the rest rather than removing them, so the
 * map keeps its shape. Constituencies the layout lacks are listed apart.
 *
 * `region` (a nation's or an English region's slug) zooms to that area: the
 * view is its hexes' box, only its constituencies are links, counted and in
 * the table, and the neighbouring hexes in view are drawn faintly for their
 * shape. `seat` (a constituency's slug) rings that hex and zooms to its
 * region, unless `region` already shows it.
 */
export async function findMapData({ party, status, region, seat }: MapQuery = {}) {
  const { chosenParty, parties, layout, places } = await mapConstituencies({ party });
  const geometry = layout
    ? layoutHexes({
        layout: layout.layout,
        hexes: places.flatMap(({ place: p }) =>
          p.q === null || p.r === null ? [] : [{ key: p.code, q: p.q, r: p.r }],
        ),
      })
    : null;

  const onMap: MapHex[] = [];
  const offMap: MapConstituency[] = [];
  for (const { place, candidates, status: best } of places) {
    const constituency: MapConstituency = {
      code: place.code,
      name: place.name,
      slug: place.slug,
      place: placeOf(place.nation, place.regionName),
      nation: place.nation,
      region: regionOf(place),
      areas: areasOf(place),
      status: best,
      matches: (!chosenParty || candidates.length > 0) && (!status || best === status),
      signed: candidates.filter((c) => c.status === "signed-all").length,
      standing: candidates.length,
    };
    const centre = geometry?.centres.get(place.code);
    if (centre) onMap.push({ ...constituency, ...centre });
    else offMap.push(constituency);
  }
  // Keyboard order follows the map as it reads: top row first, left to right.
  onMap.sort((a, b) => a.y - b.y || a.x - b.x);

  const areas = listAreas(places.flatMap(({ place }) => (geometry?.centres.has(place.code) ? [place] : [])));
  const seatHex = seat ? onMap.find((h) => h.slug === seat) : undefined;
  let area = region ? areas.find((a) => a.slug === region) : undefined;
  if (seatHex && !(area && seatHex.areas.includes(area.slug))) {
    // The seat's own region (or nation, outside England), the closer view.
    area = areas.find((a) => a.slug === seatHex.areas.at(-1));
  }
  const inArea = (c: MapConstituency) => !area || c.areas.includes(area.slug);
  const shown = onMap.filter(inArea);
  const shownOffMap = offMap.filter(inArea);
  const zoom = area && geometry ? zoomViewBox({ geometry, keys: shown.map((h) => h.code) }) : null;
  const view: MapView = {
    area,
    viewBox: zoom ? viewBoxString(zoom) : (geometry?.viewBox ?? ""),
    seat: seatHex
      ? {
          code: seatHex.code,
          name: seatHex.name,
          slug: seatHex.slug,
          areaName: areas.find((a) => a.slug === seatHex.areas.at(-1))?.name ?? seatHex.place,
        }
      : undefined,
  };
  // Hexes of other areas that fall in the zoomed view: drawn, not linked, so the area keeps its surroundings.
  const context = zoom ? onMap.filter((h) => !inArea(h) && inView(h, zoom)).map((h) => ({ x: h.x, y: h.y })) : [];

  const counts: MapCounts = { "signed-all": 0, "signed-some": 0, declined: 0, "no-answer": 0, none: 0, dim: 0 };
  for (const hex of shown) counts[hex.matches ? hex.status : "dim"]++;

  return {
    layout:
      layout && geometry
        ? {
            id: layout.id,
            kind: layout.layout,
            viewBox: geometry.viewBox,
            shape: geometry.shape,
            ...outlinesAndLabels(geometry, onMap),
          }
        : null,
    view,
    areas,
    hexes: shown,
    context,
    offMap: shownOffMap,
    counts,
    total: shown.length + shownOffMap.length,
    matching: shown.filter((h) => h.matches).length + shownOffMap.filter((c) => c.matches).length,
    query: { party: chosenParty?.id, status, region: area?.slug, seat: seatHex?.slug },
    partyName: chosenParty?.name,
    parties,
  };
}

function inView(point: { x: number; y: number }, view: ReturnType<typeof parseViewBox>) {
  return point.x >= view.x && point.x <= view.x + view.width && point.y >= view.y && point.y <= view.y + view.height;
}

/**
 * What the map's tooltips show, fetched by its script on first use rather
 * than carried in every copy of the page: each constituency on the map by
 * slug (those the layout lacks too, for whoever wants them), with its name, its best answer in words and its candidates, packed
 * (see packCandidates) with party numbers into `parties` and answer numbers
 * into `answers`. Only the chosen party's candidates when a party is chosen,
 * as the map shows.
 */
export async function findMapTooltips({ party }: { party?: string } = {}) {
  const { chosenParty, parties, places } = await mapConstituencies({ party });
  const partyNumbers = new Map(parties.map((p, i) => [p.id, i]));
  const seats: Record<string, [name: string, status: string, candidates: string]> = {};
  for (const { place, candidates, status } of places) {
    const list: MapCandidate[] = candidates
      .map((c) => ({ name: c.name, partyId: c.partyId, partyName: c.partyName, status: c.status }))
      .sort((a, b) => pledgeStatuses.indexOf(a.status) - pledgeStatuses.indexOf(b.status));
    seats[place.slug] = [place.name, mapStatusLabel(status, chosenParty?.name), packCandidates(list, partyNumbers)];
  }
  return {
    parties: parties.map((p) => p.name),
    answers: pledgeStatuses.map((s) => pledgeStatusLabels[s]),
    seats,
  };
}
