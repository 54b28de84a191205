import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup } from "~/components/field";
import { countSupportersToExport } from "~/models/supporter-export.server";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const counts = await countSupportersToExport();
  // The download sends a form without a choice back here to say so. Before
  // the first download there is no choice to make, so nothing to say.
  const unchosen = new URL(request.url).searchParams.get("error") === "scope" && counts.lastExportAt !== null;
  const errors: FieldErrors = unchosen ? { scope: "Select which supporters to download" } : {};
  return data(
    {
      csrfToken: session.csrfToken,
      errors,
      all: counts.all,
      new: counts.new,
      lastExportAt: counts.lastExportAt ? ukDateTime(counts.lastExportAt) : null,
    },
    { headers: staffPageHeaders },
  );
}

function supporters(n: number) {
  return `${n.toLocaleString("en-GB")} supporter${n === 1 ? "" : "s"}`;
}

export default function StaffSupporters() {
  const { csrfToken, errors, all, new: fresh, lastExportAt } = useLoaderData<typeof loader>();
  return (
    <>
      <title>{errorTitle("Download supporters – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      <h1 className="heading-xl">Download supporters</h1>
      <p>
        A spreadsheet (CSV) of the supporters who ticked the box to get campaign updates when they asked their
        candidates, for the campaign’s mailing list. Supporters who did not tick it are never included.
      </p>
      <p>Each row has:</p>
      <ul>
        <li>their name, email address and postcode</li>
        <li>their constituency</li>
        <li>the date they confirmed their ask</li>
        <li>
          the consent wording they were shown, its version and when they gave it, from their consent record (the wording
          can change: see the <Link to={paths.staffSettingsConsents}>consent wordings</Link>)
        </li>
      </ul>
      <dl className="summary-list">
        <div>
          <dt>Opted in</dt>
          <dd>{supporters(all)}</dd>
        </div>
        <div>
          <dt>New since the last download</dt>
          <dd>{lastExportAt ? `${supporters(fresh)} (last download ${lastExportAt})` : "No download yet"}</dd>
        </div>
      </dl>
      <div className="inset-text">
        <p>
          This file holds personal data. Keep it on the campaign’s own systems and use it only to send campaign updates.
          Each download is recorded in the audit log.
        </p>
      </div>
      {/* Not through Remix's fetch: the browser posts it, and saves the file that comes back. */}
      <Form method="post" action={paths.staffSupportersCsv} reloadDocument noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        {lastExportAt ? (
          <ChoiceGroup
            id="scope"
            name="scope"
            type="radio"
            legend="Which supporters?"
            error={errors.scope}
            checked={[]}
            options={[
              { value: "all", label: `All supporters who opted in (${supporters(all)})` },
              {
                value: "new",
                label: `Only those new since the last export (${lastExportAt})`,
                hint: supporters(fresh),
              },
            ]}
          />
        ) : (
          // Nothing has been downloaded yet, so "new" would be everyone too.
          <input type="hidden" name="scope" value="all" />
        )}
        <button type="submit" className="button">
          Download CSV
        </button>
      </Form>
    </>
  );
}
