import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { ErrorSummary } from "~/components/error-summary";
import { TextField, SelectField } from "~/components/field";
import { FilterActions } from "~/components/filter-actions";
import { HexMap, HexMapKey } from "~/components/hex-map";
import tooltipScript from "~/enhance/map-tooltip.js?url";
import { findCampaign } from "~/models/campaign.server";
import { searchConstituencies, type ConstituencySearch } from "~/models/constituency-search.server";
import { findMapData, type MapArea } from "~/models/map.server";
import { errorTitle } from "~/utils/forms";
import { publicCacheControl } from "~/utils/http-cache";
import {
  constituenciesIn,
  mapFilterStatuses,
  mapFilterSummary,
  mapPath,
  mapStatusLabel,
  mapTablePath,
  mapViewInWords,
} from "~/utils/map";
import { parseMapQuery, withoutEmptyParams } from "~/utils/page-query";
import { paths, withQuery } from "~/utils/paths";
import { postcodeProblem } from "~/utils/postcode";
import { pledgeStatusLabels } from "~/utils/pledge";
import { staticPage } from "~/utils/route-handle";

// Complete as HTML; the tooltips are a small script of their own, not the
// framework (see utils/route-handle.ts and app/enhance/map-tooltip.js).
export const handle = staticPage(tooltipScript);

// Public like every read page, except an answer to the find box: it echoes
// what someone typed, so it is theirs alone and not kept by any cache.
export const headers: HeadersFunction = ({ loaderHeaders }) => ({
  "Cache-Control": loaderHeaders.get("Cache-Control") ?? publicCacheControl,
});

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [{ title: "Pledge map" }];
  const filters = mapViewInWords(data.view.area?.name, data.partyName, data.query.status);
  const withSigned = data.counts["signed-all"];
  return [
    { title: errorTitle(`${filters ? `${filters} – ` : ""}Pledge map – ${data.campaignName}`, data.search.errors) },
    {
      name: "description",
      content: `A map of all ${data.total.toLocaleString("en-GB")} constituencies${data.view.area ? ` in ${data.view.area.name}` : ""}, each coloured by the best answer its candidates have given to the ${data.campaignName} pledge. ${withSigned.toLocaleString("en-GB")} have a candidate who signed every point.`,
    },
  ];
};

const privately = { "Cache-Control": "private, no-store" };

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // The filter form sends every field; the address keeps only what was chosen (as the board's does). A find box
  // sent empty is kept, so it can say what to enter.
  const clean = url.searchParams.has("find") ? null : withoutEmptyParams(url);
  if (clean) throw redirect(clean);
  const query = parseMapQuery(url.searchParams);
  const campaignName = (await findCampaign())?.name ?? "Pledge tracker";
  if (query.find === undefined) {
    const search: Search = { typed: "", errors: {}, choices: null };
    return data({ ...(await findMapData(query)), campaignName, search });
  }
  // The find box: a seat found is the map of that seat, at an address of its own to share.
  const result = await searchConstituencies({ text: query.find });
  if (result.status === "found") {
    throw redirect(mapPath({ party: query.party, status: query.status, seat: result.slug }), { headers: privately });
  }
  const typed = query.find.trim().slice(0, 100);
  const search: Search =
    result.status === "choose"
      ? { typed, errors: {}, choices: { list: result.choices, more: result.more } }
      : { typed, errors: { find: problemWith(result, typed) }, choices: null };
  const status = result.status === "choose" ? 200 : result.status === "postcode" ? lookupStatus(result) : 400;
  return data(
    { ...(await findMapData({ ...query, seat: undefined })), campaignName, search },
    { status, headers: privately },
  );
}

type Search = {
  typed: string;
  errors: { find?: string };
  choices: { list: Extract<ConstituencySearch, { status: "choose" }>["choices"]; more: boolean } | null;
};

type Problem = Exclude<ConstituencySearch, { status: "found" | "choose" }>;

function lookupStatus(result: Extract<Problem, { status: "postcode" }>) {
  if (result.lookup.status === "unavailable") return 503;
  return result.lookup.status === "invalid" ? 400 : 404;
}

/** One plain-English sentence a case: the inline error and the summary's link (GOV.UK). */
function problemWith(result: Problem, typed: string): string {
  if (result.status === "empty") return "Enter a postcode or the name of a constituency";
  if (result.status === "no-name") {
    return result.looksLikePostcode
      ? "Enter a full postcode, like SW1A 1AA, or the name of a constituency"
      : `We cannot find a constituency called ‘${typed}’. Check the spelling, or enter a postcode`;
  }
  if (result.lookup.status === "unavailable") {
    return "Sorry, we cannot look up postcodes at the moment. Enter the constituency’s name instead";
  }
  return postcodeProblem(result.lookup, {
    invalid: "Enter a full postcode, like SW1A 1AA, or the name of a constituency",
    otherwise: "or enter the constituency’s name",
  });
}

export default function MapPage() {
  const data = useLoaderData<typeof loader>();
  const { query, partyName, layout, counts, view, search } = data;
  const filtered = Boolean(query.party || query.status);
  const filters = { party: query.party, status: query.status };
  // Reached by a client-side navigation from a hydrated page, the page's own
  // script tag is not run: load it here (a module runs once, however loaded).
  useEffect(() => {
    void import(/* @vite-ignore */ tooltipScript);
  }, []);
  const summary = mapFilterSummary(partyName, query.status);
  const inWords = mapViewInWords(view.area?.name, partyName, query.status);
  return (
    <>
      <ErrorSummary errors={search.errors} />
      <h1 className="heading-xl">Pledge map</h1>
      <p>
        Each hexagon is a constituency, coloured by the best answer any of its candidates has given. Choose a hexagon to
        see who is standing there.
      </p>

      <Form method="get" action={paths.map} className="map-find" noValidate>
        <TextField
          id="find"
          label="Find a constituency on the map"
          hint="Enter a postcode or part of a constituency’s name, for example SW1A 1AA or Bermondsey"
          error={search.errors.find}
          defaultValue={search.typed}
          autoComplete="postal-code"
          spellCheck={false}
        />
        {query.party ? <input type="hidden" name="party" value={query.party} /> : null}
        {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
        <button type="submit" className="button button--secondary">
          Find on the map
        </button>
      </Form>

      {search.choices ? (
        <div className="map-choices">
          <h2 className="heading-m" id="map-choices-title">
            {search.choices.list.length}
            {search.choices.more ? " or more" : ""} constituencies match ‘{search.typed}’
          </h2>
          <p>Choose one to see it on the map.</p>
          <ul className="list" aria-labelledby="map-choices-title">
            {search.choices.list.map((c) => (
              <li key={c.slug}>
                <Link to={mapPath({ ...filters, seat: c.slug })}>{c.name}</Link>
                {c.regionName ? `, ${c.regionName}` : null}
              </li>
            ))}
          </ul>
          {search.choices.more ? (
            <p>Only the first {search.choices.list.length} are listed: type more of the name.</p>
          ) : null}
        </div>
      ) : null}

      {/* Keyed by the filters, so "Clear filters" resets the choices too. */}
      <Form
        method="get"
        action={paths.map}
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
        {/* Filtering keeps the zoom and the ringed constituency. */}
        {query.region ? <input type="hidden" name="region" value={query.region} /> : null}
        {query.seat ? <input type="hidden" name="seat" value={query.seat} /> : null}
        <FilterActions filtered={filtered} clearTo={mapPath({ region: query.region, seat: query.seat })} />
      </Form>

      <h2 className="heading-m" aria-live="polite">
        {filtered
          ? `${data.matching.toLocaleString("en-GB")} of ${constituenciesIn(data.total, view.area?.name)} match: ${summary}`
          : constituenciesIn(data.total, view.area?.name)}
      </h2>

      {view.seat ? (
        <p className="map-seat" role="status">
          <strong>{view.seat.name}</strong> is ringed on the map of {view.seat.areaName}.{" "}
          <Link to={paths.constituency(view.seat.slug)}>See {view.seat.name}’s candidates</Link>
        </p>
      ) : null}

      {layout ? (
        <>
          <p className="map-links">
            {view.area ? (
              <>
                Showing {view.area.name}. <Link to={mapPath(filters)}>Whole map</Link>
                {" · "}
              </>
            ) : null}
            <Link to={mapTablePath({ ...filters, region: query.region })}>See the map as a table</Link>
          </p>
          <div className="map-layout">
            <HexMap
              title={`Hex map of ${data.hexes.length.toLocaleString("en-GB")} constituencies${inWords ? ` (${inWords})` : ""}`}
              viewBox={view.viewBox}
              shape={layout.shape}
              hexes={data.hexes}
              partyName={partyName}
              outlines={{ regions: layout.regions, nations: layout.nations }}
              // Zoomed in, the area's own name is in the words above the map.
              labels={layout.labels.filter((l) => l.text !== view.area?.name)}
              context={data.context}
              seatCode={view.seat?.code}
              tooltips={withQuery(paths.mapTooltips, { party: query.party })}
            />
            <div className="map-side">
              <HexMapKey counts={counts} filtered={filtered} partyName={partyName} />
              <ZoomLinks areas={data.areas} current={view.area} filters={filters} />
            </div>
          </div>
        </>
      ) : (
        <p className="inset-text">
          No map layout has been imported yet, so the constituencies are listed in{" "}
          <Link to={mapTablePath(filters)}>the map as a table</Link>.
        </p>
      )}

      {layout && data.offMap.length > 0 ? (
        <>
          <h2 className="heading-m">Not on the map</h2>
          <p>
            The map layout has no hexagon for these constituencies. They are in{" "}
            <Link to={mapTablePath({ ...filters, region: query.region })}>the map as a table</Link> too.
          </p>
          <ul className="list columns">
            {data.offMap.map((c) => (
              <li key={c.code}>
                <Link to={paths.constituency(c.slug)}>{c.name}</Link>: {mapStatusLabel(c.status, partyName)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

/** Plain links to a zoomed view of each nation and English region, keeping the filters. */
function ZoomLinks({
  areas,
  current,
  filters,
}: {
  areas: MapArea[];
  current: MapArea | undefined;
  filters: { party?: string; status?: string };
}) {
  if (areas.length < 2) return null;
  const link = (area: MapArea | undefined, text: string) => (
    <Link to={mapPath({ ...filters, region: area?.slug })} aria-current={area === current ? "page" : undefined}>
      {text}
    </Link>
  );
  const englishRegions = areas.filter((a) => a.kind === "region");
  return (
    <nav className="map-zoom" aria-labelledby="map-zoom-title">
      <h2 className="heading-s" id="map-zoom-title">
        Zoom to a nation or region
      </h2>
      <ul className="map-zoom__list">
        <li>{link(undefined, "Whole map")}</li>
        {areas
          .filter((a) => a.kind === "nation")
          .map((nation) => (
            <li key={nation.slug}>
              {link(nation, nation.name)}
              {nation.name === "England" && englishRegions.length > 0 ? (
                <ul>
                  {englishRegions.map((r) => (
                    <li key={r.slug}>{link(r, r.name)}</li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
      </ul>
    </nav>
  );
}

export { ErrorBoundary } from "~/components/route-error";
