import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { TextField } from "~/components/field";
import { findSendingPause, pauseSending, resumeSending } from "~/models/sending-pause.server";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { hasRole } from "~/utils/staff-roles";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [{ title: "Dashboard – Staff console" }, noIndex];

export function loader({ request }: LoaderFunctionArgs) {
  const session = requireStaff(request, { role: "viewer" });
  const pause = findSendingPause();
  return data(
    {
      csrfToken: session.csrfToken,
      canPause: hasRole({ role: session.account.role, needed: "organiser" }),
      pause: pause ? { since: ukDateTime(pause.pausedAt), by: pause.pausedByEmail, reason: pause.reason } : null,
    },
    { headers: staffPageHeaders },
  );
}

// Pausing and resuming all sending: organisers and admins.
export async function action({ request }: ActionFunctionArgs) {
  const session = requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const now = new Date();
  const actor = session.account.email;
  if (form.get("intent") === "pause") {
    const reason = String(form.get("reason") ?? "")
      .trim()
      .slice(0, 500);
    pauseSending({ actor, accountId: session.account.id, reason: reason || null, now });
  } else if (form.get("intent") === "resume") {
    resumeSending({ actor, now });
  }
  throw redirect(paths.staff, { headers: staffPageHeaders });
}

export default function Dashboard() {
  const { csrfToken, canPause, pause } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="heading-xl">Dashboard</h1>
      {pause ? (
        <div className="warning-banner" role="region" aria-labelledby="paused-title">
          <h2 className="heading-m" id="paused-title">
            All sending is paused
          </h2>
          <p>
            Since {pause.since}
            {pause.by ? ` by ${pause.by}` : ""}
            {pause.reason ? `: “${pause.reason}”` : ""}. Mail waits in the outbox and goes out when sending resumes.
          </p>
          {canPause ? (
            <Form method="post">
              <input type="hidden" name={csrfField} value={csrfToken} />
              <button type="submit" name="intent" value="resume" className="button">
                Resume sending
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {canPause && !pause ? (
        <details className="details">
          <summary>Pause all sending</summary>
          <Form method="post" className="details__text">
            <input type="hidden" name={csrfField} value={csrfToken} />
            <p>
              Stops every mail within seconds: confirmations, asks to candidates, signing links. Nothing is lost; it
              waits in the outbox.
            </p>
            <TextField id="reason" label="Why (for the audit log and your colleagues)" />
            <button type="submit" name="intent" value="pause" className="button button--warning">
              Pause all sending
            </button>
          </Form>
        </details>
      ) : null}
    </>
  );
}
