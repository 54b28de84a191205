import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { HexMap, HexMapKey } from "~/components/hex-map";
import { findCampaign } from "~/models/campaign.server";
import { findMapData } from "~/models/map.server";
import { parseMapQuery } from "~/utils/page-query";
import { publicPageHeaders } from "~/utils/http-cache";
import { mapFilterStatuses, mapStatusLabel, packCandidates, type MapFilterStatus } from "~/utils/map";
import { candidatesWhoSignedLabel, pledgeStatusLabels } from "~/utils/pledge";
import { SelectField } from "~/components/field";
import { FilterActions } from "~/components/filter-actions";
import { paths } from "~/utils/paths";

export const headers = publicPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Pledge map" }];
  const filters = filterSummary(data.partyName, data.query.status);
  const withSigned = data.counts["signed-all"];
  return [
    { title: `${filters ? `${filters} – ` : ""}Pledge map – ${data.campaignName}` },
    {
      name: "description",
      content: `A map of all ${data.total.toLocaleString("en-GB")} constituencies, each coloured by the best answer its candidates have given to the ${data.campaignName} pledge. ${withSigned.toLocaleString("en-GB")} have a candidate who signed every point.`,
    },
  ];
};

export function loader({ request }: LoaderFunctionArgs) {
  const query = parseMapQuery(new URL(request.url).searchParams);
  const data = findMapData(query);
  const partyNumbers = new Map(data.parties.map((p, i) => [p.id, i]));
  return {
    ...data,
    // Only the hexes' tooltips list candidates: packed small, as this is the bulk of the page.
    hexes: data.hexes.map((h) => ({ ...h, candidates: packCandidates(h.candidates, partyNumbers) })),
    offMap: data.offMap.map(({ candidates: _, ...c }) => c),
    campaignName: findCampaign()?.name ?? "Pledge tracker",
  };
}

/** "Labour Party, Signed every point": the filters in words, for titles and captions. */
function filterSummary(partyName: string | undefined, status: MapFilterStatus | undefined) {
  return [partyName, status ? pledgeStatusLabels[status] : undefined].filter(Boolean).join(", ");
}

export default function MapPage() {
  const data = useLoaderData<typeof loader>();
  const { query, partyName, layout, counts } = data;
  const filtered = Boolean(query.party || query.status);
  // The table lists what the map highlights: every constituency the filters keep.
  const rows = useMemo(
    () =>
      [...data.hexes, ...data.offMap].filter((c) => c.matches).sort((a, b) => a.name.localeCompare(b.name, "en-GB")),
    [data.hexes, data.offMap],
  );
  const summary = filterSummary(partyName, query.status);
  return (
    <>
      <h1 className="heading-xl">Pledge map</h1>
      <p>
        Each hexagon is a constituency, coloured by the best answer any of its candidates has given. Choose a hexagon to
        see who is standing there.
      </p>

      {/* Keyed by the filters, so "Clear filters" resets the choices too. */}
      <Form
        method="get"
        className="filters"
        aria-label="Filter the map"
        key={`${query.party ?? ""} ${query.status ?? ""}`}
      >
        <div className="filters__row">
          <SelectField id="party" label="Party" value={query.party} options={data.parties.map((p) => [p.id, p.name])} />
          <SelectField
            id="status"
            label="Best answer"
            value={query.status}
            options={mapFilterStatuses.map((s) => [s, pledgeStatusLabels[s]])}
          />
        </div>
        <FilterActions filtered={filtered} clearTo={paths.map} />
      </Form>

      <h2 className="heading-m" aria-live="polite">
        {filtered
          ? `${data.matching.toLocaleString("en-GB")} of ${data.total.toLocaleString("en-GB")} constituencies match: ${summary}`
          : `${data.total.toLocaleString("en-GB")} constituencies`}
      </h2>

      {layout ? (
        <>
          <p>
            <a href="#map-table">Skip the map and see it as a table</a>
          </p>
          <div className="map-layout">
            <HexMap
              title={`Hex map of ${data.hexes.length.toLocaleString("en-GB")} constituencies${summary ? ` (${summary})` : ""}`}
              viewBox={layout.viewBox}
              shape={layout.shape}
              hexes={data.hexes}
              partyNames={data.parties.map((p) => p.name)}
              partyName={partyName}
            />
            <HexMapKey counts={counts} filtered={filtered} partyName={partyName} />
          </div>
        </>
      ) : (
        <p className="inset-text">
          No map layout has been imported yet, so the constituencies are listed in the table below.
        </p>
      )}

      {layout && data.offMap.length > 0 ? (
        <>
          <h2 className="heading-m">Not on the map</h2>
          <p>The map layout has no hexagon for these constituencies. They are in the table below.</p>
          <ul className="list columns">
            {data.offMap.map((c) => (
              <li key={c.code}>
                <Link to={paths.constituency(c.slug)}>{c.name}</Link>: {mapStatusLabel(c.status, partyName)}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2 className="heading-l" id="map-table">
        The map as a table
      </h2>
      {rows.length === 0 ? (
        <p>No constituencies match these filters.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">
            Constituencies and the best answer from their candidates{summary ? ` (${summary})` : ""}
          </caption>
          <thead>
            <tr>
              <th scope="col">Constituency</th>
              <th scope="col">Nation or region</th>
              <th scope="col">Best answer</th>
              <th scope="col">{candidatesWhoSignedLabel(partyName)}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.code}>
                <th scope="row">
                  <Link to={paths.constituency(c.slug)}>{c.name}</Link>
                </th>
                <td>{c.place}</td>
                <td>{mapStatusLabel(c.status, partyName)}</td>
                <td>
                  {c.signed} of {c.standing}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
