import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useLoaderData } from "@remix-run/react";
import { confirmAsk, findAskByToken } from "~/models/ask.server";
import { commitWithOthers } from "~/utils/db.server";

// The URL holds a live token: never cache it, never send it on as a referrer.
const tokenHeaders = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
export const headers: HeadersFunction = () => tokenHeaders;

export const meta: MetaFunction = () => [{ title: "Send your message" }, { name: "robots", content: "noindex" }];

// Opening the link changes nothing (mail scanners follow links): only the
// button's POST confirms.
export function loader({ params }: LoaderFunctionArgs) {
  return { ask: findAskByToken({ token: params.token ?? "", now: new Date() }) };
}

export async function action({ params }: ActionFunctionArgs) {
  // One commit (and one fsync) for the confirmations that arrive together: see commitWithOthers.
  const confirmed = await commitWithOthers(() => confirmAsk({ token: params.token ?? "", now: new Date() }));
  if (!confirmed) return Response.json({ failed: true }, { status: 410, headers: tokenHeaders });
  const query = new URLSearchParams({ constituency: confirmed.constituencySlug, postcode: confirmed.postcode });
  if (confirmed.withoutEmail.length > 0) query.set("noEmail", String(confirmed.withoutEmail.length));
  throw redirect(`/asks/thank-you?${query}`, { headers: tokenHeaders });
}

export default function ConfirmAsk() {
  const { ask } = useLoaderData<typeof loader>();
  if (!ask) {
    return (
      <>
        <h1 className="heading-xl">This link has expired or has already been used</h1>
        <p>Each link works once, for 7 days. If we sent you a reminder, use the link in the newest email.</p>
        <p>
          If you have already confirmed, your message has been sent. Otherwise, <Link to="/">start again</Link>.
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="heading-xl">Send your message</h1>
      <p className="body-l">Hello {ask.name}. Your message to candidates in {ask.constituencyName} is ready to go to:</p>
      <ul className="list">
        {ask.candidateNames.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <Form method="post">
        <button type="submit" className="button">
          Send my message
        </button>
      </Form>
      <p>If you did not ask for this, close this page: nothing will be sent.</p>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
