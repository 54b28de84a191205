import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useLoaderData } from "@remix-run/react";
import { confirmAsk, findAskByToken } from "~/models/ask.server";

// The URL holds a live token: never cache it, never send it on as a referrer.
// strict-origin, not no-referrer: a referrer is only ever our origin, and the
// button's POST carries a real Origin (no-referrer makes it "null", which a
// server cannot tell from a sandboxed page on another site).
const tokenHeaders = { "Cache-Control": "no-store", "Referrer-Policy": "strict-origin" };
export const headers: HeadersFunction = () => tokenHeaders;

export const meta: MetaFunction = () => [{ title: "Send your message" }, { name: "robots", content: "noindex" }];

// Opening the link changes nothing (mail scanners follow links): only the
// button's POST confirms.
export function loader({ params }: LoaderFunctionArgs) {
  return { ask: findAskByToken({ token: params.token ?? "", now: new Date() }) };
}

export function action({ params }: ActionFunctionArgs) {
  const confirmed = confirmAsk({ token: params.token ?? "", now: new Date() });
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
