// The map's colouring rules, shared by the loader (server) and the map
// component (server and browser). Pure functions, tested without a server.
import { paths, withQuery } from "./paths";
import { bestPledgeStatus, pledgeStatuses, pledgeStatusLabels, type PledgeStatus } from "./pledge";

// A constituency takes the best status among its standing candidates; with
// none standing (or none of the chosen party) it is "none". Withdrawn
// candidates never colour a constituency.
export const mapStatuses = ["signed-all", "signed-some", "declined", "no-answer", "none"] as const;
export type MapStatus = (typeof mapStatuses)[number];

/** The statuses a visitor can filter the map by. */
export const mapFilterStatuses = ["signed-all", "signed-some", "declined", "no-answer"] as const;
export type MapFilterStatus = (typeof mapFilterStatuses)[number];

export function constituencyMapStatus(candidates: { standing: boolean; status: PledgeStatus }[]): MapStatus {
  const best = bestPledgeStatus(candidates.filter((c) => c.standing).map((c) => c.status));
  return best === "withdrawn" ? "none" : best;
}

export function mapStatusLabel(status: MapStatus, partyName?: string): string {
  if (status === "none") return partyName ? `No ${partyName} candidate` : "No candidates standing";
  return pledgeStatusLabels[status];
}

/** What a hex link is called: the constituency and its status, e.g. "Ashbourne Vale: No answer yet". */
export function hexLinkLabel({
  name,
  status,
  matches,
  partyName,
}: {
  name: string;
  status: MapStatus;
  matches: boolean;
  partyName?: string;
}) {
  return `${name}: ${mapStatusLabel(status, partyName)}${matches ? "" : " (not matching the filters)"}`;
}

/** The class that colours a hex or a key swatch; a constituency outside the filters is greyed out. */
export function hexClassName(status: MapStatus, matches: boolean) {
  return matches ? `s-${status}` : "s-dim";
}

export type MapCandidate = { name: string; partyId: string; partyName: string; status: PledgeStatus };

// The tooltips need every candidate of every constituency: 4,515 of them in
// a general election. As objects in the page's data they weigh about 100 KB
// gzipped; packed into one line each, "name TAB party number TAB status
// number", about a third of that. Parties are numbered by their place in
// the list the page already has for its filter.
export function packCandidates(candidates: MapCandidate[], partyNumbers: Map<string, number>): string {
  return candidates
    .map(
      (c) =>
        `${c.name.replace(/[\t\n]/g, " ")}\t${partyNumbers.get(c.partyId) ?? -1}\t${pledgeStatuses.indexOf(c.status)}`,
    )
    .join("\n");
}

/**
 * A view of the map: its filters, a zoom (a nation's or region's slug) and
 * a constituency to ring, in the order the map's forms send them.
 */
export function mapPath(view: { party?: string; status?: string; region?: string; seat?: string }) {
  return withQuery(paths.map, { party: view.party, status: view.status, region: view.region, seat: view.seat });
}

/** The map as a table: the same filters and zoom, a row for each constituency they keep. */
export function mapTablePath(view: { party?: string; status?: string; region?: string }) {
  return withQuery(paths.mapTable, { party: view.party, status: view.status, region: view.region });
}

/** "Labour Party, Signed every point": the filters in words, for titles, headings and captions. */
export function mapFilterSummary(partyName: string | undefined, status: MapFilterStatus | undefined) {
  return [partyName, status ? pledgeStatusLabels[status] : undefined].filter(Boolean).join(", ");
}

/** "Wales, Labour Party, Signed every point": the zoom and the filters in words. */
export function mapViewInWords(areaName: string | undefined, partyName: string | undefined, status?: MapFilterStatus) {
  return [areaName, mapFilterSummary(partyName, status)].filter(Boolean).join(", ");
}

/** "650 constituencies", "3 constituencies in Wales". */
export function constituenciesIn(count: number, areaName?: string) {
  return `${count.toLocaleString("en-GB")} constituenc${count === 1 ? "y" : "ies"}${areaName ? ` in ${areaName}` : ""}`;
}
