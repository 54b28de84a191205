import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireStaff } from "~/auth/staff-auth.server";
import { TableScroll } from "~/components/table-scroll";
import { listSettingsVersions } from "~/models/campaign.server";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, { role: "admin" });
  const versions = (await listSettingsVersions()).map((v) => ({ ...v, when: ukDateTime(v.createdAt) }));
  return data({ versions }, { headers: staffPageHeaders });
}

export default function SettingsVersions() {
  const { versions } = useLoaderData<typeof loader>();
  return (
    <>
      <title>Saved versions of the settings – Staff console</title>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.staffSettings}>Settings</Link>
          </li>
        </ol>
      </nav>
      <h1 className="heading-xl">Saved versions of the settings</h1>
      <p>
        Each save of the campaign settings or the review thresholds, from the console or <code>npm run campaign</code>,
        is kept whole. To go back to one, copy its values into the settings and save them again.
      </p>
      {versions.length === 0 ? (
        <p>No version has been saved yet.</p>
      ) : (
        <TableScroll label="Saved versions">
          <table className="table">
            <caption className="visually-hidden">Saved versions of the settings, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Saved</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.id}>
                  <td>
                    <Link to={paths.staffSettingsVersion(v.id)}>Version {v.id}</Link>
                  </td>
                  <td>{v.when}</td>
                  <td className="break-anywhere">{v.savedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
