import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
import { findConstituencyBySlug, listCandidatesInConstituency } from "~/models/constituency.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.constituency.name} – candidates` : "Constituency not found" },
];

export function loader({ params }: LoaderFunctionArgs) {
  const constituency = findConstituencyBySlug({ slug: params.slug ?? "" });
  if (!constituency) throw new Response("Not found", { status: 404 });
  const candidates = listCandidatesInConstituency({ gssCode: constituency.gssCode });
  return { constituency, candidates };
}

export default function ConstituencyPage() {
  const { constituency, candidates } = useLoaderData<typeof loader>();
  const standing = candidates.filter((c) => c.status === "standing");
  const withdrawn = candidates.filter((c) => c.status === "withdrawn");
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to="/constituencies">Constituencies</Link>
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
            </tr>
          </thead>
          <tbody>
            {standing.map((c) => (
              <tr key={c.id}>
                <th scope="row">{c.name}</th>
                <td>{c.partyName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
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
          There is no constituency at this address. <Link to="/constituencies">See all constituencies</Link>.
        </p>
      </>
    );
  }
  throw error;
}
