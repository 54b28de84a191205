import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, Outlet, useLoaderData } from "@remix-run/react";
import { findRequestSession } from "~/auth/staff-auth.server";
import { countOpenCorrectionReports } from "~/models/correction-report.server";
import { csrfField } from "~/utils/staff-form";
import { paths } from "~/utils/paths";
import { staffPageHeaders } from "~/utils/private-page";
import { hasRole, staffRoleLabels } from "~/utils/staff-roles";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

// The console's frame: who is signed in, what their role lets them open, and
// signing out. Each page checks its own role; this only decides what to show.
export async function loader({ request }: LoaderFunctionArgs) {
  const session = await findRequestSession(request);
  if (!session || session.secondFactorPending) return { staff: null, openCorrections: 0 };
  const organiser = hasRole({ role: session.account.role, needed: "organiser" });
  return {
    staff: { email: session.account.email, role: session.account.role, csrfToken: session.csrfToken },
    openCorrections: organiser ? await countOpenCorrectionReports() : 0,
  };
}

export default function StaffLayout() {
  const { staff, openCorrections } = useLoaderData<typeof loader>();
  return (
    <>
      {staff ? (
        <div className="staff-bar">
          <nav aria-label="Staff console" className="staff-bar__nav">
            <ul>
              <li>
                <Link to={paths.staff}>Dashboard</Link>
              </li>
              {hasRole({ role: staff.role, needed: "organiser" }) ? (
                <>
                  <li>
                    <Link to={paths.staffReview}>Review queue</Link>
                  </li>
                  <li>
                    <Link to={paths.staffCandidates}>Candidates</Link>
                  </li>
                  <li>
                    <Link to={paths.staffOutbox}>Outbox</Link>
                  </li>
                  <li>
                    <Link to={paths.staffBlockList}>Block list</Link>
                  </li>
                  <li>
                    <Link to={paths.staffPublicList}>Public list</Link>
                  </li>
                  <li>
                    <Link to={paths.staffCorrections}>
                      Corrections{openCorrections > 0 ? ` (${openCorrections} open)` : ""}
                    </Link>
                  </li>
                  <li>
                    <Link to={paths.staffImports}>Imports</Link>
                  </li>
                  <li>
                    <Link to={paths.staffAudit}>Audit log</Link>
                  </li>
                </>
              ) : null}
              {hasRole({ role: staff.role, needed: "admin" }) ? (
                <>
                  <li>
                    <Link to={paths.staffSupporters}>Supporters</Link>
                  </li>
                  <li>
                    <Link to={paths.staffPeople}>People</Link>
                  </li>
                  <li>
                    <Link to={paths.staffAccounts}>Staff accounts</Link>
                  </li>
                  <li>
                    <Link to={paths.staffSettings}>Settings</Link>
                  </li>
                </>
              ) : null}
            </ul>
          </nav>
          <div className="staff-bar__who">
            <span>
              Signed in as {staff.email} ({staffRoleLabels[staff.role]})
            </span>
            <Form method="post" action={paths.staffSignOut} className="staff-bar__sign-out">
              <input type="hidden" name={csrfField} value={staff.csrfToken} />
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      ) : null}
      <Outlet />
    </>
  );
}
