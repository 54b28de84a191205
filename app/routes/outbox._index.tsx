import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { outboxStatuses } from "#db/enums";
import { listMailboxMessages } from "~/models/mailbox.server";
import { countOutboxByStatus, listOutboxProblems } from "~/models/outbox.server";
import { findSendingPause } from "~/models/sending-pause.server";
import { mailMode } from "~/utils/env.server";
import { outboxStatusLabels } from "~/utils/outbox-status";
import { mailboxPageHeaders, noIndex } from "~/utils/private-page";
import { isLoopbackRequest } from "~/utils/request.server";
import { paths } from "~/utils/paths";
import { staticPage } from "~/utils/route-handle";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction = () => [{ title: "Local mailbox" }, noIndex];

const londonTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  dateStyle: "medium",
  timeStyle: "medium",
});

export async function loader({ context }: LoaderFunctionArgs) {
  // 404, not 403: from elsewhere the mailbox looks like it does not exist.
  if (!isLoopbackRequest(context)) throw new Response("Not found", { status: 404, headers: mailboxPageHeaders });
  const messages = (await listMailboxMessages()).map((m) => ({
    ...m,
    deliveredAt: londonTime.format(new Date(m.deliveredAt)),
  }));
  const problems = (await listOutboxProblems()).map((p) => ({
    ...p,
    nextAttemptAt: londonTime.format(new Date(p.nextAttemptAt)),
  }));
  const pause = await findSendingPause();
  return data(
    {
      mailMode,
      messages,
      pausedSince: pause ? londonTime.format(new Date(pause.pausedAt)) : null,
      counts: await countOutboxByStatus(),
      problems,
    },
    { headers: mailboxPageHeaders },
  );
}

export default function Mailbox() {
  const { mailMode, messages, pausedSince, counts, problems } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="heading-xl">Local mailbox</h1>
      {mailMode === "local" ? (
        <p className="body-l">
          No SMTP server is configured, so mail is not sent: it is delivered here instead. Only this computer can read
          this page. Set SMTP_URL to send real mail.
        </p>
      ) : (
        <p className="body-l">
          Mail is being sent by SMTP. Messages below were delivered here before SMTP was configured.
        </p>
      )}

      <h2 className="heading-l">Delivered mail</h2>
      {messages.length === 0 ? (
        <p>No mail has been delivered to the local mailbox yet.</p>
      ) : (
        // A list, as a mail app shows an inbox: on a phone a three-column table squeezed the subjects to a word a line.
        <ul className="mailbox-list" aria-label="Mail in the local mailbox, newest first">
          {messages.map((m) => (
            <li key={m.id} className="mailbox-list__item">
              <Link to={paths.outboxMessage(m.id)} className="mailbox-list__subject">
                {m.subject || "(no subject)"}
              </Link>
              <span className="mailbox-list__meta">
                To <span className="break-anywhere">{m.toAddress}</span>, delivered {m.deliveredAt}
              </span>
            </li>
          ))}
        </ul>
      )}

      <h2 className="heading-l">Outbox</h2>
      {pausedSince ? (
        <p className="inset-text">
          <strong>All sending is paused</strong> (since {pausedSince}): mail waits in the outbox until an organiser
          resumes it on the <Link to={paths.staff}>staff dashboard</Link>, or with{" "}
          <code>npm run mail:pause -- --resume --by YOUR_NAME</code>.
        </p>
      ) : null}
      <dl className="summary-list">
        {outboxStatuses.map((status) => (
          <div key={status}>
            <dt>{outboxStatusLabels[status]}</dt>
            <dd>{counts[status]}</dd>
          </div>
        ))}
      </dl>
      {problems.length === 0 ? (
        <p>No mail has failed or is waiting to be retried.</p>
      ) : (
        <table className="table">
          <caption className="heading-m">Failed mail and mail waiting to be retried</caption>
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Error</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p) => (
              <tr key={p.id}>
                <td>{p.toAddress}</td>
                <td>{p.subject}</td>
                <td>
                  {p.status === "failed" ? (
                    <strong className="tag tag--red">Failed</strong>
                  ) : (
                    <strong className="tag tag--yellow">Retrying at {p.nextAttemptAt}</strong>
                  )}
                </td>
                <td>{p.attempts}</td>
                <td>{p.lastError}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
