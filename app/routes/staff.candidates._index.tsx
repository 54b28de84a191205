import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/staff-auth.server";
import { SelectField, TextField } from "~/components/field";
import { FilterActions } from "~/components/filter-actions";
import { Pagination } from "~/components/pagination";
import { TableScroll } from "~/components/table-scroll";
import { listCandidateParties, listCandidatesForStaff } from "~/models/staff-candidates.server";
import { parseStaffCandidatesQuery, withoutEmptyParams, type StaffCandidatesQuery } from "~/utils/page-query";
import { paths, withQuery } from "~/utils/paths";
import { pledgeStatusLabels } from "~/utils/pledge";
import { noIndex, staffPageHeaders } from "~/utils/private-page";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [{ title: "Candidates – Staff console" }, noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, { role: "organiser" });
  const url = new URL(request.url);
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean, { headers: staffPageHeaders });
  const query = parseStaffCandidatesQuery(url.searchParams);
  const list = await listCandidatesForStaff({
    name: query.name,
    constituency: query.constituency,
    party: query.party,
    status: query.status,
    hasEmail: query.email,
    page: query.page,
  });
  return data(
    {
      query,
      parties: await listCandidateParties(),
      total: list.total,
      page: list.page,
      pageCount: list.pageCount,
      rows: list.rows,
    },
    { headers: staffPageHeaders },
  );
}

function candidatesHref(query: StaffCandidatesQuery, page: number) {
  return withQuery(paths.staffCandidates, {
    name: query.name,
    constituency: query.constituency,
    party: query.party,
    status: query.status,
    email: query.email,
    page: page > 1 ? String(page) : undefined,
  });
}

export default function StaffCandidates() {
  const { query, parties, total, page, pageCount, rows } = useLoaderData<typeof loader>();
  const filtered = Boolean(query.name || query.constituency || query.party || query.status || query.email);
  return (
    <>
      <h1 className="heading-xl">Candidates</h1>
      <p>
        Every candidacy in the election. A candidate with no published email gets no asks by mail: open their page to
        see what reached them, send a signing link, or record a pledge they made elsewhere.
      </p>
      <Form method="get" className="filters" aria-label="Filter the candidates">
        <div className="filters__row">
          <TextField id="name" label="Name contains" type="search" defaultValue={query.name ?? ""} />
          <TextField
            id="constituency"
            label="Constituency contains"
            type="search"
            defaultValue={query.constituency ?? ""}
          />
        </div>
        <div className="filters__row">
          <SelectField id="party" label="Party" value={query.party} options={parties.map((p) => [p.id, p.name])} />
          <SelectField
            id="status"
            label="Status"
            value={query.status}
            options={[
              ["standing", "Standing"],
              ["withdrawn", "Withdrawn"],
            ]}
          />
          <SelectField
            id="email"
            label="Published email"
            value={query.email}
            options={[
              ["yes", "Has an email"],
              ["no", "No email"],
            ]}
          />
        </div>
        <FilterActions filtered={filtered} clearTo={paths.staffCandidates} />
      </Form>

      <h2 className="heading-m" aria-live="polite">
        {total.toLocaleString("en-GB")} candidate{total === 1 ? "" : "s"}
        {pageCount > 1 ? `, page ${page} of ${pageCount}` : ""}
      </h2>
      {rows.length === 0 ? (
        <p>{filtered ? "No candidates match these filters." : "No candidates have been imported yet."}</p>
      ) : (
        <TableScroll label="Candidates, by constituency">
          <table className="table">
            <caption className="visually-hidden">Candidates, by constituency</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Constituency</th>
                <th scope="col">Party</th>
                <th scope="col">Status</th>
                <th scope="col">Email</th>
                <th scope="col">Pledge</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={paths.staffCandidate(r.personId)}>{r.name}</Link>
                  </td>
                  <td>{r.constituencyName}</td>
                  <td>{r.partyName}</td>
                  <td>{r.status === "standing" ? "Standing" : "Withdrawn"}</td>
                  <td>{r.hasEmail ? "Yes" : "No"}</td>
                  <td>{pledgeStatusLabels[r.pledgeStatus]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={page} pageCount={pageCount} href={(n) => candidatesHref(query, n)} />
    </>
  );
}
