import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { mailKinds, outboxStatuses } from "#db/enums";
import { requireStaff } from "~/auth/staff-auth.server";
import { SelectField, TextField } from "~/components/field";
import { FilterActions } from "~/components/filter-actions";
import { Pagination } from "~/components/pagination";
import { countOutboxByStatus, listOutboxForStaff } from "~/models/outbox.server";
import { mailKindLabels } from "~/utils/mail-kinds";
import { outboxStatusLabels, outboxStatusTagClasses } from "~/utils/outbox-status";
import { parseStaffOutboxQuery, withoutEmptyParams, type StaffOutboxQuery } from "~/utils/page-query";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";
import { TableScroll } from "~/components/table-scroll";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [{ title: "Outbox – Staff console" }, noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, { role: "organiser" });
  const url = new URL(request.url);
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean, { headers: staffPageHeaders });
  const query = parseStaffOutboxQuery(url.searchParams);
  const list = await listOutboxForStaff(query);
  return data(
    {
      query,
      counts: await countOutboxByStatus(),
      total: list.total,
      page: list.page,
      pageCount: list.pageCount,
      rows: list.rows.map((r) => ({
        id: r.id,
        toAddress: r.toAddress,
        subject: r.subject,
        kind: r.kind,
        status: r.status,
        attempts: r.attempts,
        createdAt: ukDateTime(r.createdAt),
      })),
    },
    { headers: staffPageHeaders },
  );
}

function outboxHref(query: StaffOutboxQuery, page: number) {
  return withQuery(paths.staffOutbox, {
    status: query.status,
    kind: query.kind,
    recipient: query.recipient,
    page: page > 1 ? String(page) : undefined,
  });
}

export default function StaffOutbox() {
  const { query, counts, total, page, pageCount, rows } = useLoaderData<typeof loader>();
  const filtered = Boolean(query.status || query.kind || query.recipient);
  return (
    <>
      <h1 className="heading-xl">Outbox</h1>
      <h2 className="heading-m">All mail by status</h2>
      <dl className="summary-list">
        {outboxStatuses.map((status) => (
          <div key={status}>
            <dt>{outboxStatusLabels[status]}</dt>
            <dd>{counts[status].toLocaleString("en-GB")}</dd>
          </div>
        ))}
      </dl>

      <Form method="get" className="filters" aria-label="Filter the outbox">
        <div className="filters__row">
          <SelectField
            id="status"
            label="Status"
            value={query.status}
            options={outboxStatuses.map((s) => [s, outboxStatusLabels[s]])}
          />
          <SelectField
            id="kind"
            label="Kind of mail"
            value={query.kind}
            options={mailKinds.map((k) => [k, mailKindLabels[k]])}
          />
          <TextField
            id="recipient"
            label="To (email or name contains)"
            type="search"
            spellCheck={false}
            defaultValue={query.recipient ?? ""}
          />
        </div>
        <FilterActions filtered={filtered} clearTo={paths.staffOutbox} />
      </Form>

      <h2 className="heading-m" aria-live="polite">
        {total.toLocaleString("en-GB")} message{total === 1 ? "" : "s"}
        {pageCount > 1 ? `, page ${page} of ${pageCount}` : ""}
      </h2>
      {rows.length === 0 ? (
        <p>{filtered ? "No mail matches these filters." : "No mail has been written yet."}</p>
      ) : (
        <TableScroll label="Mail in the outbox, newest first">
          <table className="table">
            <caption className="visually-hidden">Mail in the outbox, newest first</caption>
            <thead>
              <tr>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col" className="numeric">
                  Attempts
                </th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.toAddress}</td>
                  <td>
                    <Link to={paths.staffOutboxMessage(r.id)}>{r.subject || "(no subject)"}</Link>
                  </td>
                  <td>{mailKindLabels[r.kind]}</td>
                  <td>
                    <strong className={outboxStatusTagClasses[r.status]}>{outboxStatusLabels[r.status]}</strong>
                  </td>
                  <td className="numeric">{r.attempts}</td>
                  <td>{r.createdAt}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={page} pageCount={pageCount} href={(n) => outboxHref(query, n)} />
    </>
  );
}
