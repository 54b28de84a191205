import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { MailText } from "~/components/mail-text";
import { cancelMail, findOutboxMessageForStaff, retryFailedMail } from "~/models/outbox.server";
import { mailKindLabels } from "~/utils/mail-kinds";
import { outboxStatusLabels, outboxStatusTagClasses } from "~/utils/outbox-status";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.message.subject || "(no subject)"} – Outbox – Staff console` : "Page not found" },
  noIndex,
];

const idParam = z.coerce.number().int().positive();

// What the page says after a POST: the change, or that the mail had moved on
// (a worker or a colleague got there first) so nothing was done.
const notices = {
  retried: "This message is back in the queue and will be sent again shortly.",
  cancelled: "This message is cancelled. It will not be sent.",
  unchanged: "Nothing was changed: the message’s status had changed before your request arrived.",
} as const;
const doneParam = z.enum(["retried", "cancelled", "unchanged"]).optional().catch(undefined);

function notFound() {
  return new Response("Not found", { status: 404, headers: staffPageHeaders });
}

function messageId(params: LoaderFunctionArgs["params"]) {
  const id = idParam.safeParse(params.id);
  if (!id.success) throw notFound();
  return id.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const message = await findOutboxMessageForStaff({ id: messageId(params) });
  if (!message) throw notFound();
  const done = doneParam.parse(new URL(request.url).searchParams.get("done") ?? undefined);
  return data(
    {
      csrfToken: session.csrfToken,
      notice: done ? notices[done] : null,
      message: {
        id: message.id,
        toAddress: message.toAddress,
        toName: message.toName,
        replyTo: message.replyTo,
        subject: message.subject,
        kind: message.kind,
        status: message.status,
        attempts: message.attempts,
        lastError: message.lastError,
        textBody: message.textBody,
        createdAt: ukDateTime(message.createdAt),
        sentAt: message.sentAt ? ukDateTime(message.sentAt) : null,
        canRetry: message.status === "failed",
        canCancel: message.status === "queued" || message.status === "held",
      },
    },
    { headers: staffPageHeaders },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const id = messageId(params);
  const intent = form.get("intent");
  const actor = session.account.email;
  const now = new Date();
  let result: "retried" | "cancelled" | "unchanged";
  if (intent === "retry") {
    const retried = await retryFailedMail({ id, actor, now });
    if (retried === "not-found") throw notFound();
    result = retried === "retried" ? "retried" : "unchanged";
  } else if (intent === "cancel") {
    const cancelled = await cancelMail({ id, actor, now });
    if (cancelled === "not-found") throw notFound();
    result = cancelled === "cancelled" ? "cancelled" : "unchanged";
  } else {
    throw new Response("Bad request", { status: 400, headers: staffPageHeaders });
  }
  // Back to the page as a GET, so reloading it does not send the POST again.
  throw redirect(withQuery(paths.staffOutboxMessage(id), { done: result }), { headers: staffPageHeaders });
}

export default function StaffOutboxMessage() {
  const { csrfToken, notice, message } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.staffOutbox}>Outbox</Link>
          </li>
        </ol>
      </nav>
      {notice ? (
        <div className="notification" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      <h1 className="heading-l">{message.subject || "(no subject)"}</h1>
      <dl className="summary-list">
        <div>
          <dt>To</dt>
          <dd className="break-anywhere">
            {message.toName ? `${message.toName} <${message.toAddress}>` : message.toAddress}
          </dd>
        </div>
        {message.replyTo ? (
          <div>
            <dt>Reply-To</dt>
            <dd className="break-anywhere">{message.replyTo}</dd>
          </div>
        ) : null}
        <div>
          <dt>Subject</dt>
          <dd>{message.subject}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>{mailKindLabels[message.kind]}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <strong className={outboxStatusTagClasses[message.status]}>{outboxStatusLabels[message.status]}</strong>
          </dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>{message.attempts}</dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd className="break-anywhere">{message.lastError ?? "None"}</dd>
        </div>
        <div>
          <dt>Written</dt>
          <dd>{message.createdAt}</dd>
        </div>
        <div>
          <dt>Sent</dt>
          <dd>{message.sentAt ?? "Not sent"}</dd>
        </div>
      </dl>
      {message.canRetry || message.canCancel ? (
        <Form method="post" className="inline-actions">
          <input type="hidden" name={csrfField} value={csrfToken} />
          {message.canRetry ? (
            <button type="submit" name="intent" value="retry" className="button">
              Retry
            </button>
          ) : null}
          {message.canCancel ? (
            <button type="submit" name="intent" value="cancel" className="button button--warning">
              Cancel this message
            </button>
          ) : null}
        </Form>
      ) : null}
      <h2 className="heading-m">Message</h2>
      <p className="hint">
        Confirmation and signing links are shown without their secret part, so no one can use them from here.
      </p>
      <MailText text={message.textBody} />
    </>
  );
}
