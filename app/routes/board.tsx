import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useLoaderData } from "@remix-run/react";
import { nations } from "#db/enums";
import { PledgeTag } from "~/components/pledge-tag";
import { findCampaign } from "~/models/campaign.server";
import { listCandidacyStatuses } from "~/models/pledge-status.server";
import {
  boardHref,
  boardTableRow,
  filterBoard,
  pageOf,
  sortBoard,
  splitPartyTally,
  summariseBoard,
  type BoardQuery,
  type BoardRow,
  type Tally,
} from "~/utils/board";
import { parseBoardQuery, withoutEmptyParams } from "~/utils/page-query";
import { latestCandidateImport } from "~/models/import-run.server";
import { CandidateDataNote } from "~/components/candidate-data-note";
import { publicPageHeaders } from "~/utils/http-cache";
import { socialMeta } from "~/utils/social-meta";
import { candidatesWhoSignedLabel, pledgeStatuses, pledgeStatusLabels } from "~/utils/pledge";
import { SelectField } from "~/components/field";
import { FilterActions } from "~/components/filter-actions";
import { TableScroll } from "~/components/table-scroll";
import { paths } from "~/utils/paths";
import { staticPage } from "~/utils/route-handle";

export const headers = publicPageHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data, matches, location }) => {
  if (!data) return [{ title: "Who has signed" }];
  const { summary, campaignName } = data;
  const description = `${summary.signedAll.toLocaleString("en-GB")} of ${summary.standing.toLocaleString("en-GB")} candidates have signed the ${campaignName} pledge, in ${summary.constituenciesWithSigned.toLocaleString("en-GB")} constituencies.`;
  return [
    { title: `Who has signed – ${campaignName}` },
    ...socialMeta({
      matches,
      title: `Who has signed the ${campaignName} pledge`,
      description,
      path: `${location.pathname}${location.search}`,
    }),
  ];
};

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // The filter form sends every field; the address keeps only what was chosen, so it reads well when shared.
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean);
  const query = parseBoardQuery(url.searchParams);
  const all: BoardRow[] = await listCandidacyStatuses();
  const filtered = sortBoard(filterBoard(all, query), query.sort);
  const { rows, page, pages } = pageOf(filtered, query.page);
  const regions = [...new Set(all.map((r) => r.regionName).filter((r): r is string => Boolean(r)))].sort();
  const partyCounts = new Map<string, { id: string; name: string; n: number }>();
  for (const r of all) {
    const p = partyCounts.get(r.partyId) ?? { id: r.partyId, name: r.partyName, n: 0 };
    p.n++;
    partyCounts.set(r.partyId, p);
  }
  const campaign = await findCampaign();
  return {
    campaignName: campaign?.name ?? "the pledge",
    pointCount: campaign?.points.length ?? 0,
    query,
    // Headline counts follow the filters (except status), so "Labour in Wales" reads sensibly.
    summary: summariseBoard(filterBoard(all, { ...query, status: undefined })),
    candidateData: await latestCandidateImport(),
    matching: filtered.length,
    rows: rows.map(boardTableRow),
    page,
    pages,
    nations: nations.filter((n) => all.some((r) => r.nation === n)),
    regions,
    parties: [...partyCounts.values()].sort((a, b) => b.n - a.n || a.name.localeCompare(b.name)),
  };
}

export default function Board() {
  const data = useLoaderData<typeof loader>();
  const { query, summary, rows, page, pages, matching } = data;
  const filtered = Boolean(query.q || query.nation || query.region || query.party || query.status);
  return (
    <>
      <h1 className="heading-xl">Who has signed</h1>
      <div className="stats">
        <p className="stat">
          <span className="stat__number">{summary.signedAll.toLocaleString("en-GB")}</span> of{" "}
          {summary.standing.toLocaleString("en-GB")} candidates have signed every point
          {summary.signedSome > 0 ? `, and ${summary.signedSome.toLocaleString("en-GB")} some of them` : ""}
        </p>
        <p className="stat">
          <span className="stat__number">{summary.constituenciesWithSigned.toLocaleString("en-GB")}</span> of{" "}
          {summary.constituencies.toLocaleString("en-GB")} constituencies have at least one candidate who signed
        </p>
      </div>

      <Form method="get" className="filters" aria-label="Filter the board">
        <div className="filters__row">
          <div className="form-group">
            <label className="label" htmlFor="q">
              Candidate or constituency
            </label>
            <input className="input" id="q" name="q" type="search" defaultValue={query.q ?? ""} />
          </div>
          <SelectField id="nation" label="Nation" value={query.nation} options={data.nations.map((n) => [n, n])} />
          <SelectField id="region" label="Region" value={query.region} options={data.regions.map((r) => [r, r])} />
          <SelectField id="party" label="Party" value={query.party} options={data.parties.map((p) => [p.id, p.name])} />
          <SelectField
            id="status"
            label="Status"
            value={query.status}
            allLabel="All standing"
            options={pledgeStatuses.map((s) => [
              s,
              s === "withdrawn" ? "Withdrawn (not standing)" : pledgeStatusLabels[s],
            ])}
          />
          <SelectField
            id="sort"
            label="Sort by"
            value={query.sort}
            allLabel={null}
            options={[
              ["constituency", "Constituency"],
              ["candidate", "Candidate"],
              ["party", "Party"],
              ["status", "Status"],
            ]}
          />
        </div>
        <FilterActions filtered={filtered} clearTo={paths.board} />
      </Form>

      <h2 className="heading-m" aria-live="polite">
        {matching.toLocaleString("en-GB")} candidate{matching === 1 ? "" : "s"}
        {pages > 1 ? `, page ${page} of ${pages}` : ""}
      </h2>
      {rows.length === 0 ? (
        <p>No candidates match these filters.</p>
      ) : (
        <TableScroll label="Candidates and their pledge status">
          <table className="table">
            <caption className="visually-hidden">Candidates and their pledge status</caption>
            <thead>
              <tr>
                {/* Status second: on a phone the table scrolls in its box, and the answer is what people came for. */}
                <SortHeader query={query} sort="candidate" label="Candidate" />
                <SortHeader query={query} sort="status" label="Status" />
                <SortHeader query={query} sort="party" label="Party" />
                <SortHeader query={query} sort="constituency" label="Constituency" />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <th scope="row">
                    <Link to={paths.candidate(r.personId)}>{r.name}</Link>
                  </th>
                  <td>
                    <PledgeTag status={r.status} signed={r.signed} pointCount={data.pointCount} />
                    {r.trust ? <small className="board__trust">{r.trust}</small> : null}
                  </td>
                  <td>{r.partyName}</td>
                  <td>
                    <Link to={paths.constituency(r.constituencySlug)}>{r.constituencyName}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {pages > 1 ? (
        <nav className="pagination" aria-label="Pages">
          {page > 1 ? (
            <Link rel="prev" to={boardHref(query, { page: page - 1 })}>
              Previous<span className="visually-hidden"> page</span>
            </Link>
          ) : null}
          <span>
            Page {page} of {pages}
          </span>
          {page < pages ? (
            <Link rel="next" to={boardHref(query, { page: page + 1 })}>
              Next<span className="visually-hidden"> page</span>
            </Link>
          ) : null}
        </nav>
      ) : null}

      <div className="tallies">
        <PartyTallies rows={summary.byParty} />
        <div>
          <Tallies
            title="By nation"
            label="Nation"
            caption={`${candidatesWhoSignedLabel()}, by nation`}
            rows={summary.byNation}
          />
          <Tallies
            title="By region"
            label="Region"
            caption={`${candidatesWhoSignedLabel()}, by region`}
            rows={summary.byRegion}
          />
        </div>
      </div>
      <p>
        <Link to={paths.data}>Download the data</Link>
      </p>
      <CandidateDataNote source={data.candidateData} />
    </>
  );
}

function SortHeader({ query, sort, label }: { query: BoardQuery; sort: BoardQuery["sort"]; label: string }) {
  const active = query.sort === sort;
  return (
    <th scope="col" aria-sort={active ? "ascending" : undefined}>
      {active ? (
        label
      ) : (
        <Link to={boardHref(query, { sort })}>
          {label}
          <span className="visually-hidden">, sort by this</span>
        </Link>
      )}
    </th>
  );
}

/** Parties standing widely first; the many that stand in a handful of seats and have no signature, folded. */
function PartyTallies({ rows }: { rows: Tally[] }) {
  const { shown, folded } = splitPartyTally(rows);
  return (
    <section>
      <Tallies title="By party" label="Party" caption={`${candidatesWhoSignedLabel()}, by party`} rows={shown} />
      {folded.length > 0 ? (
        <details className="details">
          <summary className="details__summary">
            {folded.length.toLocaleString("en-GB")} more {folded.length === 1 ? "party" : "parties"}, standing in fewer
            places
          </summary>
          <div className="details__text">
            <Tallies
              label="Party"
              caption={`${candidatesWhoSignedLabel()}, other parties`}
              rows={folded}
              chart={false}
            />
          </div>
        </details>
      ) : null}
    </section>
  );
}

/** Signed of standing, with a bar for each row: a small chart that is still a table. */
function Tallies({
  title,
  label,
  caption,
  rows,
  chart = true,
}: {
  title?: string;
  label: string;
  caption: string;
  rows: Tally[];
  chart?: boolean;
}) {
  return (
    <section>
      {title ? <h2 className="heading-m">{title}</h2> : null}
      <table className="table tally">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{label}</th>
            <th scope="col" className="numeric">
              Signed
            </th>
            <th scope="col" className="numeric">
              Standing
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.key}>
              <th scope="row">
                {t.label}
                {chart ? (
                  <span className="tally__bar" aria-hidden="true">
                    <span style={{ width: `${t.standing ? (100 * t.signed) / t.standing : 0}%` }} />
                  </span>
                ) : null}
              </th>
              <td className="numeric">{t.signed.toLocaleString("en-GB")}</td>
              <td className="numeric">{t.standing.toLocaleString("en-GB")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export { ErrorBoundary } from "~/components/route-error";
