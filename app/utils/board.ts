// Filtering, sorting, paging and counting the board. Pure functions over the
// rows listCandidacyStatuses() returns, so the rules are tested without a server.
// The page's own links use boardHref, so this module stays free of zod: the
// query string is parsed in board-query.server.ts.
import { trustMarkNote, type PledgeStatus, type trustMarkLabels } from "./pledge";
import { paths } from "./paths";

export type BoardRow = {
  id: number;
  personId: string;
  name: string;
  partyId: string;
  partyName: string;
  constituencyCode: string;
  constituencyName: string;
  constituencySlug: string;
  nation: string;
  regionName: string | null;
  standing: boolean;
  signed: number;
  declined: number;
  status: PledgeStatus;
  trustMark: keyof typeof trustMarkLabels | null;
  /** When the pledge last changed; null until the candidate has one. */
  updatedAt: string | null;
};

export const PAGE_SIZE = 50;
export const sorts = ["constituency", "candidate", "party", "status"] as const;

export type BoardQuery = {
  nation?: string;
  region?: string;
  party?: string;
  status?: PledgeStatus;
  q?: string;
  sort: (typeof sorts)[number];
  page: number;
};

/** Case- and accent-insensitive, so "glyndwr" finds Glyndŵr. */
function fold(text: string) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

export function filterBoard(rows: BoardRow[], query: BoardQuery): BoardRow[] {
  const needle = query.q ? fold(query.q) : undefined;
  return rows.filter(
    (r) =>
      (!query.nation || r.nation === query.nation) &&
      (!query.region || r.regionName === query.region) &&
      (!query.party || r.partyId === query.party) &&
      // Withdrawn candidates are apart: listed only when asked for, so the list agrees with the headline.
      (query.status ? r.status === query.status : r.status !== "withdrawn") &&
      (!needle || fold(r.name).includes(needle) || fold(r.constituencyName).includes(needle)),
  );
}

const statusOrder: Record<PledgeStatus, number> = {
  "signed-all": 0,
  "signed-some": 1,
  declined: 2,
  "no-answer": 3,
  withdrawn: 4,
};
const collator = new Intl.Collator("en-GB", { sensitivity: "base" });

export function sortBoard(rows: BoardRow[], sort: BoardQuery["sort"]): BoardRow[] {
  const byConstituency = (a: BoardRow, b: BoardRow) =>
    collator.compare(a.constituencyName, b.constituencyName) || collator.compare(a.name, b.name);
  const compare: Record<BoardQuery["sort"], (a: BoardRow, b: BoardRow) => number> = {
    constituency: byConstituency,
    candidate: (a, b) => collator.compare(a.name, b.name) || byConstituency(a, b),
    party: (a, b) => collator.compare(a.partyName, b.partyName) || byConstituency(a, b),
    status: (a, b) => statusOrder[a.status] - statusOrder[b.status] || byConstituency(a, b),
  };
  return [...rows].sort(compare[sort]);
}

/**
 * What one row of the board's table shows, and no more: the page carries its
 * loader data as JSON beside the HTML, fifty rows at a time, so statements and
 * answers stay on the candidate page.
 */
export function boardTableRow(row: BoardRow) {
  return {
    id: row.id,
    personId: row.personId,
    name: row.name,
    partyName: row.partyName,
    constituencyName: row.constituencyName,
    constituencySlug: row.constituencySlug,
    status: row.status,
    signed: row.signed,
    trust: trustMarkNote({
      trustMark: row.trustMark,
      updatedAt: row.updatedAt,
      answered: row.signed + row.declined > 0,
    }),
  };
}

export function pageOf<T>(rows: T[], page: number) {
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages);
  return { rows: rows.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE), page: current, pages };
}

export type Tally = { key: string; label: string; signed: number; standing: number };

/**
 * The headline counts: candidates who signed every point, constituencies with
 * at least one such candidate, and signed out of standing per party and region.
 * Withdrawn candidates count nowhere.
 */
export function summariseBoard(rows: BoardRow[]) {
  const standing = rows.filter((r) => r.standing);
  const signed = standing.filter((r) => r.status === "signed-all");
  const tally = (keyOf: (r: BoardRow) => string, labelOf: (r: BoardRow) => string) => {
    const map = new Map<string, Tally>();
    for (const r of standing) {
      const key = keyOf(r);
      const t = map.get(key) ?? { key, label: labelOf(r), signed: 0, standing: 0 };
      t.standing++;
      if (r.status === "signed-all") t.signed++;
      map.set(key, t);
    }
    return [...map.values()].sort(
      (a, b) => b.signed - a.signed || b.standing - a.standing || collator.compare(a.label, b.label),
    );
  };
  return {
    standing: standing.length,
    signedAll: signed.length,
    signedSome: standing.filter((r) => r.status === "signed-some").length,
    constituencies: new Set(standing.map((r) => r.constituencyCode)).size,
    constituenciesWithSigned: new Set(signed.map((r) => r.constituencyCode)).size,
    byParty: tally(
      (r) => r.partyId,
      (r) => r.partyName,
    ),
    byRegion: tally(
      (r) => r.regionName ?? r.nation,
      (r) => r.regionName ?? r.nation,
    ),
    byNation: tally(
      (r) => r.nation,
      (r) => r.nation,
    ),
  };
}

/**
 * The party tally as a reader wants it: parties standing widely (in at least
 * `wide` seats) first, by how many stand; the rest (most of a general
 * election's hundred parties stand in a handful of seats) folded apart, in
 * the tally's own order.
 */
export function splitPartyTally(rows: Tally[], { wide = 10 } = {}) {
  const shown = rows.filter((t) => t.standing >= wide);
  const folded = rows.filter((t) => t.standing < wide);
  shown.sort((a, b) => b.standing - a.standing || b.signed - a.signed || collator.compare(a.label, b.label));
  return { shown, folded };
}

/** The same board URL with some parameters changed (and the page reset unless given). */
export function boardHref(query: BoardQuery, changes: Partial<BoardQuery>) {
  const next = { ...query, page: 1, ...changes };
  const params = new URLSearchParams();
  for (const key of ["q", "nation", "region", "party", "status"] as const) {
    const value = next[key];
    if (value) params.set(key, value);
  }
  if (next.sort !== "constituency") params.set("sort", next.sort);
  if (next.page > 1) params.set("page", String(next.page));
  const search = params.toString();
  return search ? `${paths.board}?${search}` : paths.board;
}
