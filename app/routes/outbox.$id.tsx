import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { MailText } from "~/components/mail-text";
import { findMailboxMessage } from "~/models/mailbox.server";
import { mailboxPageHeaders, noIndex } from "~/utils/private-page";
import { isLoopbackRequest } from "~/utils/request.server";
import { paths } from "~/utils/paths";
import { staticPage } from "~/utils/route-handle";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.message.subject || "(no subject)"} – Local mailbox` : "Page not found" },
  noIndex,
];

const idParam = z.coerce.number().int().positive();

const londonTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  dateStyle: "full",
  timeStyle: "long",
});

export async function loader({ params, context }: LoaderFunctionArgs) {
  const notFound = () => new Response("Not found", { status: 404, headers: mailboxPageHeaders });
  // 404, not 403: from elsewhere the mailbox looks like it does not exist.
  if (!isLoopbackRequest(context)) throw notFound();
  const id = idParam.safeParse(params.id);
  if (!id.success) throw notFound();
  const message = await findMailboxMessage({ id: id.data });
  if (!message) throw notFound();
  return data(
    { message: { ...message, deliveredAt: londonTime.format(new Date(message.deliveredAt)) } },
    { headers: mailboxPageHeaders },
  );
}

export default function MailboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.outbox}>Local mailbox</Link>
          </li>
        </ol>
      </nav>
      <h1 className="heading-l">{message.subject || "(no subject)"}</h1>
      <dl className="summary-list">
        <div>
          <dt>From</dt>
          <dd>{message.fromAddress}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{message.toAddress}</dd>
        </div>
        {message.replyTo ? (
          <div>
            <dt>Reply-To</dt>
            <dd>{message.replyTo}</dd>
          </div>
        ) : null}
        <div>
          <dt>Subject</dt>
          <dd>{message.subject}</dd>
        </div>
        <div>
          <dt>Message-ID</dt>
          <dd className="mailbox-message-id">{message.messageId}</dd>
        </div>
        {message.listUnsubscribe ? (
          <div>
            <dt>List-Unsubscribe</dt>
            <dd className="mailbox-message-id">{message.listUnsubscribe}</dd>
          </div>
        ) : null}
        {message.listUnsubscribePost ? (
          <div>
            <dt>List-Unsubscribe-Post</dt>
            <dd>{message.listUnsubscribePost}</dd>
          </div>
        ) : null}
        <div>
          <dt>Delivered</dt>
          <dd>{message.deliveredAt}</dd>
        </div>
      </dl>
      <h2 className="heading-m">Message</h2>
      <MailText text={message.textBody} />
      <details className="details">
        <summary className="details__summary">Show the message exactly as it would be sent</summary>
        <pre className="details__text mailbox-raw">{message.raw}</pre>
      </details>
    </>
  );
}
