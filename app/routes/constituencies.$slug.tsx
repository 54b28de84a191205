import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { PledgeTag } from "~/components/pledge-tag";
import { SupporterList } from "~/components/supporter-list";
import { countConfirmedAsks, listRecentPublicSupporters } from "~/models/supporter.server";
import { findCampaign } from "~/models/campaign.server";
import { findConstituencyBySlug, listCandidatesInConstituency } from "~/models/constituency.server";
import { listPledgesInConstituency } from "~/models/pledge-status.server";
import { publicPageHeaders } from "~/utils/http-cache";
import { formatSuppressedCount, suppressCount } from "~/utils/suppressed-count";
import { readPostcodeParam } from "~/utils/page-query";
import { socialMeta } from "~/utils/social-meta";
import { paths, withQuery } from "~/utils/paths";
import { mapPath } from "~/utils/map";
import { trustMarkNote } from "~/utils/pledge";
import { staticPage } from "~/utils/route-handle";

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: "Constituency not found" }];
  const standing = data.candidates.filter((c) => c.status === "standing");
  const signed = standing.filter((c) => c.pledge === "signed-all").length;
  const description = `${signed} of ${standing.length} candidates in ${data.constituency.name} have signed the pledge.`;
  return [
    { title: `${data.constituency.name} – candidates` },
    ...socialMeta({
      matches,
      title: `${data.constituency.name}: who has signed`,
      description,
      path: paths.constituency(data.constituency.slug),
    }),
  ];
};

export const headers = publicPageHeaders;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const constituency = await findConstituencyBySlug({ slug: params.slug ?? "" });
  if (!constituency) throw new Response("Not found", { status: 404 });
  const pledges = await listPledgesInConstituency({ constituencyCode: constituency.gssCode });
  const campaign = await findCampaign();
  const pointCount = campaign?.points.length ?? 0;
  const candidates = (
    await listCandidatesInConstituency({
      electionId: campaign?.electionId ?? "",
      gssCode: constituency.gssCode,
    })
  ).map((c) => {
    // Both lists are read in this one synchronous loader, so every candidate has a pledge.
    const pledge = pledges.get(c.id);
    return {
      ...c,
      signed: pledge?.signed ?? 0,
      pledge: pledge?.status ?? "no-answer",
      trust: pledge
        ? trustMarkNote({
            trustMark: pledge.trustMark,
            updatedAt: pledge.updatedAt,
            answered: pledge.signed + pledge.declined > 0,
          })
        : null,
    };
  });
  const { postcode } = readPostcodeParam(new URL(request.url).searchParams);
  return {
    constituency,
    candidates,
    pointCount,
    postcode,
    asks: suppressCount(await countConfirmedAsks({ constituencyCode: constituency.gssCode })),
    supporters: await listRecentPublicSupporters({ limit: 10, constituencyCode: constituency.gssCode }),
  };
}

export default function ConstituencyPage() {
  const { constituency, candidates, pointCount, postcode, asks, supporters } = useLoaderData<typeof loader>();
  const askUrl = withQuery(paths.ask(constituency.slug), { postcode });
  const standing = candidates.filter((c) => c.status === "standing");
  const withdrawn = candidates.filter((c) => c.status === "withdrawn");
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.constituencies}>Constituencies</Link>
          </li>
          <li>{constituency.nation}</li>
          {constituency.regionName && constituency.regionName !== constituency.nation ? (
            <li>{constituency.regionName}</li>
          ) : null}
        </ol>
      </nav>
      <span className="caption-l">Constituency</span>
      <h1 className="heading-xl">
        {constituency.name}
        {constituency.nameCy && constituency.nameCy !== constituency.name ? (
          <span className="heading-secondary" lang="cy">
            {" "}
            {constituency.nameCy}
          </span>
        ) : null}
      </h1>
      <dl className="summary-list">
        <div>
          <dt>Nation</dt>
          <dd>{constituency.nation}</dd>
        </div>
        {constituency.regionName && constituency.regionName !== constituency.nation ? (
          <div>
            <dt>Region</dt>
            <dd>{constituency.regionName}</dd>
          </div>
        ) : null}
        {constituency.electorate ? (
          <div>
            <dt>Electorate</dt>
            <dd>{constituency.electorate.toLocaleString("en-GB")}</dd>
          </div>
        ) : null}
        <div>
          <dt>GSS code</dt>
          <dd>{constituency.gssCode}</dd>
        </div>
      </dl>
      <p>
        <Link to={mapPath({ seat: constituency.slug })}>See {constituency.name} on the map</Link>
      </p>
      <h2 className="heading-l">
        {standing.length} candidate{standing.length === 1 ? "" : "s"} standing
      </h2>
      {standing.length === 0 ? (
        <p>We do not know of any candidates here yet.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Candidates standing in {constituency.name}</caption>
          <thead>
            <tr>
              <th scope="col">Candidate</th>
              <th scope="col">Party</th>
              <th scope="col">Pledge</th>
            </tr>
          </thead>
          <tbody>
            {standing.map((c) => (
              <tr key={c.id}>
                <th scope="row">
                  <Link to={paths.candidate(c.personId)}>{c.name}</Link>
                </th>
                <td>{c.partyName}</td>
                <td>
                  <PledgeTag status={c.pledge} signed={c.signed} pointCount={pointCount} />
                  {c.trust ? <small>{c.trust}</small> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {standing.length > 0 ? (
        <>
          <h2 className="heading-l">Ask them to sign</h2>
          <p>
            {formatSuppressedCount(asks, { sentenceStart: true })} constituents have asked their candidates here so far.
            It takes a minute.
          </p>
          <p>
            <Link to={askUrl} className="button">
              Ask your candidates to sign
            </Link>
          </p>
        </>
      ) : null}
      {supporters.length > 0 ? (
        <>
          <h2 className="heading-m">Recent supporters in {constituency.name}</h2>
          <SupporterList supporters={supporters} showConstituency={false} />
        </>
      ) : null}
      {withdrawn.length > 0 ? (
        <>
          <h2 className="heading-m">No longer standing</h2>
          <ul className="list">
            {withdrawn.map((c) => (
              <li key={c.id}>
                {c.name} ({c.partyName}), withdrawn
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <>
        <h1 className="heading-l">Constituency not found</h1>
        <p>
          There is no constituency at this address. <Link to={paths.constituencies}>See all constituencies</Link>.
        </p>
      </>
    );
  }
  throw error;
}
