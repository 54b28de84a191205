import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { SelectField } from "~/components/field";
import { FilterActions } from "~/components/filter-actions";
import { TableScroll } from "~/components/table-scroll";
import { findCampaign } from "~/models/campaign.server";
import { findMapData } from "~/models/map.server";
import { publicCacheControl } from "~/utils/http-cache";
import { constituenciesIn, mapFilterStatuses, mapPath, mapStatusLabel, mapViewInWords } from "~/utils/map";
import { parseMapTableQuery, withoutEmptyParams } from "~/utils/page-query";
import { paths } from "~/utils/paths";
import { candidatesWhoSignedLabel, pledgeStatusLabels } from "~/utils/pledge";
import { staticPage } from "~/utils/route-handle";

// The map's words, apart from the map: a row for each of up to 650
// constituencies weighs as much as the map's hexagons, and the map is the
// page most people open (issue 13's weight budget).
export const handle = staticPage();

export const headers: HeadersFunction = () => ({ "Cache-Control": publicCacheControl });

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "The map as a table" }];
  const inWords = mapViewInWords(data.areaName, data.partyName, data.query.status);
  return [
    { title: `${inWords ? `${inWords} – ` : ""}The pledge map as a table – ${data.campaignName}` },
    {
      name: "description",
      content: `Every constituency${data.areaName ? ` in ${data.areaName}` : ""} and the best answer its candidates have given to the ${data.campaignName} pledge.`,
    },
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean);
  // The map's own data, so the table can never disagree with it.
  const map = await findMapData(parseMapTableQuery(url.searchParams));
  const rows = [...map.hexes, ...map.offMap]
    .filter((c) => c.matches)
    .sort((a, b) => a.name.localeCompare(b.name, "en-GB"))
    .map(({ code, name, slug, place, status, signed, standing }) => ({
      code,
      name,
      slug,
      place,
      status,
      signed,
      standing,
    }));
  return data({
    campaignName: (await findCampaign())?.name ?? "Pledge tracker",
    query: { party: map.query.party, status: map.query.status, region: map.query.region },
    partyName: map.partyName,
    areaName: map.view.area?.name,
    parties: map.parties.map((p) => [p.id, p.name] as [string, string]),
    areas: map.areas.map((a) => [a.slug, a.kind === "region" ? `${a.name} (England)` : a.name] as [string, string]),
    total: map.total,
    rows,
  });
}

export default function MapTablePage() {
  const { query, partyName, areaName, rows, total, parties, areas } = useLoaderData<typeof loader>();
  const filtered = Boolean(query.party || query.status || query.region);
  const inWords = mapViewInWords(areaName, partyName, query.status);
  // Zoomed to one region or nation, every row would say the same place.
  const showPlace = new Set(rows.map((r) => r.place)).size > 1;
  return (
    <>
      <p>
        <Link to={mapPath(query)} className="back-link">
          Back to the map
        </Link>
      </p>
      <h1 className="heading-xl">The map as a table</h1>
      <p>
        Each constituency and the best answer any of its candidates has given, as the{" "}
        <Link to={mapPath(query)}>pledge map</Link> colours it.
      </p>

      <Form method="get" action={paths.mapTable} className="filters" aria-label="Filter the table">
        <div className="filters__row">
          <SelectField id="party" label="Party" value={query.party} options={parties} />
          <SelectField
            id="status"
            label="Best answer"
            value={query.status}
            options={mapFilterStatuses.map((s) => [s, pledgeStatusLabels[s]])}
          />
          {areas.length > 1 ? (
            <SelectField id="region" label="Nation or region" value={query.region} options={areas} />
          ) : null}
        </div>
        <FilterActions filtered={filtered} clearTo={paths.mapTable} />
      </Form>

      <h2 className="heading-m">
        {rows.length === total
          ? constituenciesIn(total)
          : `${rows.length.toLocaleString("en-GB")} of ${constituenciesIn(total)} match`}
        {inWords ? `: ${inWords}` : ""}
      </h2>
      {rows.length === 0 ? (
        <p>No constituencies match these filters.</p>
      ) : (
        <TableScroll label="The map as a table">
          <table className="table">
            <caption className="visually-hidden">
              Constituencies and the best answer from their candidates{inWords ? ` (${inWords})` : ""}
            </caption>
            <thead>
              <tr>
                <th scope="col">Constituency</th>
                {showPlace ? <th scope="col">Nation or region</th> : null}
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
                  {showPlace ? <td>{c.place}</td> : null}
                  <td>{mapStatusLabel(c.status, partyName)}</td>
                  <td>
                    {c.signed} of {c.standing}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
