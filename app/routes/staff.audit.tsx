import { data, redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { SelectField, TextField } from "~/components/field";
import { FilterActions } from "~/components/filter-actions";
import { Pagination } from "~/components/pagination";
import { listAuditActions, listAuditActors, listAuditLog } from "~/models/audit.server";
import { errorTitle } from "~/utils/forms";
import { parseStaffAuditQuery, withoutEmptyParams, type StaffAuditQuery } from "~/utils/page-query";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";
import { TableScroll } from "~/components/table-scroll";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: errorTitle("Audit log – Staff console", data?.errors) },
  noIndex,
];

// Actions are named `noun.verb`; choosing a noun's group ("staff.") lists
// every action on it. Words for the nouns the app audits, so the group reads
// as what staff were doing.
const groupLabels: Record<string, string> = {
  "staff.": "All sign-in and staff account actions",
  "outbox.": "All outbox actions",
  "sending.": "All pausing and resuming of sending",
  "pledge.": "All pledges recorded by staff",
  "supporters.": "All supporter downloads",
};

function actionGroups(actions: string[]) {
  const prefixes = [...new Set(actions.map((a) => `${a.split(".")[0]}.`))];
  return prefixes.map((prefix): [string, string] => [
    prefix,
    groupLabels[prefix] ?? `All ${prefix.slice(0, -1)} actions`,
  ]);
}

/** An entry's details as one line: "kind: candidate-ask, rows: 3". */
function detailsText(details: Record<string, unknown>) {
  return Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(", ");
}

/** The console page of the record an entry is about, where there is one. */
function subjectHref(subject: string) {
  const outboxId = /^outbox:(\d+)$/.exec(subject)?.[1];
  return outboxId ? paths.staffOutboxMessage(Number(outboxId)) : null;
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, { role: "organiser" });
  const url = new URL(request.url);
  const clean = withoutEmptyParams(url);
  if (clean) throw redirect(clean, { headers: staffPageHeaders });
  const { query, errors } = parseStaffAuditQuery(url.searchParams);
  const actions = await listAuditActions();
  const filters = { actors: await listAuditActors(), actions, groups: actionGroups(actions) };
  if (Object.keys(errors).length > 0) {
    // The filters as typed and what is wrong with them; no list until they are right.
    return data(
      { query, errors, ...filters, total: 0, page: 1, pageCount: 1, rows: [] },
      { status: 400, headers: staffPageHeaders },
    );
  }
  const log = await listAuditLog(query);
  return data(
    {
      query,
      errors,
      ...filters,
      total: log.total,
      page: log.page,
      pageCount: log.pageCount,
      rows: log.rows.map((r) => ({
        id: r.id,
        when: ukDateTime(r.createdAt),
        actor: r.actor,
        action: r.action,
        subject: r.subject,
        subjectHref: subjectHref(r.subject),
        details: detailsText(r.details),
      })),
    },
    { headers: staffPageHeaders },
  );
}

function auditHref(query: StaffAuditQuery, page: number) {
  return withQuery(paths.staffAudit, {
    actor: query.actor,
    action: query.action,
    from: query.from,
    to: query.to,
    page: page > 1 ? String(page) : undefined,
  });
}

export default function AuditLog() {
  const { query, errors, actors, actions, groups, total, page, pageCount, rows } = useLoaderData<typeof loader>();
  const failed = Object.keys(errors).length > 0;
  const filtered = Boolean(query.actor || query.action || query.from || query.to);
  return (
    <>
      <ErrorSummary errors={errors} />
      <h1 className="heading-xl">Audit log</h1>
      <p>Every change made by staff, and every sign-in, newest first. Entries are never changed or removed.</p>

      <Form method="get" className="filters" aria-label="Filter the audit log" noValidate>
        <div className="filters__row">
          <SelectField
            id="actor"
            label="Person"
            value={query.actor}
            allLabel="Anyone"
            options={actors.map((a) => [a, a])}
          />
          <SelectField
            id="action"
            label="Action"
            value={query.action}
            allLabel="Any action"
            groups={[
              { label: "Groups of actions", options: groups },
              { label: "One action", options: actions.map((a) => [a, a]) },
            ]}
          />
          <TextField
            id="from"
            label="From"

            type="date"
            defaultValue={query.from}
            error={errors.from}
          />
          <TextField
            id="to"
            label="To"
            hint="This day is included"
            type="date"
            defaultValue={query.to}
            error={errors.to}
          />
        </div>
        <FilterActions filtered={filtered} clearTo={paths.staffAudit} />
      </Form>

      {failed ? null : (
        <>
          <h2 className="heading-m" aria-live="polite">
            {total.toLocaleString("en-GB")} entr{total === 1 ? "y" : "ies"}
            {pageCount > 1 ? `, page ${page} of ${pageCount}` : ""}
          </h2>
          {rows.length === 0 ? (
            <p>{filtered ? "Nothing in the log matches these filters." : "Nothing has been logged yet."}</p>
          ) : (
            <TableScroll label="Audit log entries">
              <table className="table">
                <caption className="visually-hidden">Audit log entries, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">What</th>
                    <th scope="col">Object</th>
                    <th scope="col">Details</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      <td>{r.when}</td>
                      <td>{r.actor}</td>
                      <td>{r.action}</td>
                      <td>{r.subjectHref ? <Link to={r.subjectHref}>{r.subject}</Link> : r.subject}</td>
                      <td className="break-anywhere">{r.details}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
          <Pagination page={page} pageCount={pageCount} href={(n) => auditHref(query, n)} />
        </>
      )}
    </>
  );
}
