import { and, asc, eq, sql } from "drizzle-orm";
import { constituencies, hexes } from "#db/schema";
import { findCurrentHexLayout } from "~/models/hex-layout.server";
import { listCandidacyStatuses, type CandidacyStatusRow } from "~/models/pledge-status.server";
import { db } from "~/utils/db.server";
import { layoutHexes } from "~/utils/hex-geometry.server";
import { constituencyMapStatus, type MapCandidate, type MapStatus } from "~/utils/map";
import { pledgeStatuses } from "~/utils/pledge";
import type { MapQuery } from "~/utils/page-query";

export type MapConstituency = {
  code: string;
  name: string;
  slug: string;
  /** "North East, England"; the nation alone for Scotland, Wales and Northern Ireland. */
  place: string;
  status: MapStatus;
  /** False when the filters leave it out: its hex is greyed, its row left out of the table. */
  matches: boolean;
  /** Standing candidates (of the chosen party) who signed every point, as the board counts them. */
  signed: number;
  standing: number;
  candidates: MapCandidate[];
};

export type MapHex = MapConstituency & { x: number; y: number };

export type MapCounts = Record<MapStatus | "dim", number>;

// Every constituency with its hex in one layout, if it has one. Statuses come
// from listCandidacyStatuses(), the query the board and open data share.
let placesQuery: ReturnType<typeof preparePlacesQuery> | undefined;

function preparePlacesQuery() {
  return db
    .select({
      code: constituencies.gssCode,
      name: constituencies.name,
      slug: constituencies.slug,
      nation: constituencies.nation,
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

/**
 * The map: the current HexJSON layout with every constituency coloured by
 * the best status among its standing candidates (of the chosen party, if
 * any). A status filter greys out the rest rather than removing them, so the
 * map keeps its shape. Constituencies the layout lacks are listed apart.
 */
export function findMapData({ party, status }: MapQuery = {}) {
  const rows = listCandidacyStatuses();

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

  const layout = findCurrentHexLayout();
  placesQuery ??= preparePlacesQuery();
  const places = placesQuery.all({ layoutId: layout?.id ?? "" });
  const geometry = layout
    ? layoutHexes({
        layout: layout.layout,
        hexes: places.flatMap((p) => (p.q === null || p.r === null ? [] : [{ key: p.code, q: p.q, r: p.r }])),
      })
    : null;

  const onMap: MapHex[] = [];
  const offMap: MapConstituency[] = [];
  for (const place of places) {
    const candidates = considered.get(place.code) ?? [];
    const best = constituencyMapStatus(candidates);
    const constituency: MapConstituency = {
      code: place.code,
      name: place.name,
      slug: place.slug,
      place: placeOf(place.nation, place.regionName),
      status: best,
      matches: (!chosenParty || candidates.length > 0) && (!status || best === status),
      signed: candidates.filter((c) => c.status === "signed-all").length,
      standing: candidates.length,
      // Best answers first, as the hex is coloured by the first.
      candidates: candidates
        .map((c) => ({ name: c.name, partyId: c.partyId, partyName: c.partyName, status: c.status }))
        .sort((a, b) => pledgeStatuses.indexOf(a.status) - pledgeStatuses.indexOf(b.status)),
    };
    const centre = geometry?.centres.get(place.code);
    if (centre) onMap.push({ ...constituency, ...centre });
    else offMap.push(constituency);
  }
  // Keyboard order follows the map as it reads: top row first, left to right.
  onMap.sort((a, b) => a.y - b.y || a.x - b.x);

  const counts: MapCounts = { "signed-all": 0, "signed-some": 0, declined: 0, "no-answer": 0, none: 0, dim: 0 };
  for (const hex of onMap) counts[hex.matches ? hex.status : "dim"]++;

  return {
    layout:
      layout && geometry
        ? { id: layout.id, kind: layout.layout, viewBox: geometry.viewBox, shape: geometry.shape }
        : null,
    hexes: onMap,
    offMap,
    counts,
    total: places.length,
    matching: places.length - onMap.filter((h) => !h.matches).length - offMap.filter((c) => !c.matches).length,
    query: { party: chosenParty?.id, status },
    partyName: chosenParty?.name,
    parties: [...parties.values()].sort((a, b) => b.candidates - a.candidates || a.name.localeCompare(b.name)),
  };
}
