import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { findOrCreateAppSecret } from "~/models/app-secret.server";
import { confirmAsk, findAskByToken, findAskOutcome } from "~/models/ask.server";
import { commitWithOthers } from "~/utils/db.server";
import { noIndex, tokenPageHeaders } from "~/utils/private-page";
import { signValue, verifySignedValue } from "~/utils/signed-value.server";
import { ASK_LIFETIME_MS } from "~/utils/lifetimes";
import { describeDuration } from "~/utils/time";
import { paths } from "~/utils/paths";

export const headers: HeadersFunction = () => tokenPageHeaders;

// The title is rendered by the page: it depends on what the button's POST
// found, and meta functions cannot see action data.
export const meta: MetaFunction = () => [noIndex];

// A confirmed ask's link no longer matches anything, so the form carries the
// ask's id, signed, to let a second press (another tab) say "already sent"
// rather than "expired". Signed, so no one can ask about other people's asks.
async function receiptSecret() {
  return findOrCreateAppSecret({ name: "ask-confirm" });
}

// Opening the link changes nothing (mail scanners follow links): only the
// button's POST confirms.
export async function loader({ params }: LoaderFunctionArgs) {
  const ask = await findAskByToken({ token: params.token ?? "", now: new Date() });
  if (!ask) return { ask: null, receipt: null };
  const { id, ...shown } = ask;
  return { ask: shown, receipt: signValue({ value: String(id), secret: await receiptSecret() }) };
}

export async function action({ params, request }: ActionFunctionArgs) {
  const form = await request.formData();
  // One commit (and one fsync) for the confirmations that arrive together: see commitWithOthers.
  const confirmed = await commitWithOthers(async () => confirmAsk({ token: params.token ?? "", now: new Date() }));
  if (!confirmed) {
    const askId = verifySignedValue({ signed: String(form.get("receipt") ?? ""), secret: await receiptSecret() });
    const outcome = askId && /^\d+$/.test(askId) ? await findAskOutcome({ askId: Number(askId) }) : null;
    // Remix does not reload the page's data after a 4xx, so the answer says what to show.
    const state = outcome ? ("already-sent" as const) : askId ? ("expired" as const) : ("dead" as const);
    return Response.json(
      { state, constituencySlug: outcome?.constituencySlug ?? null },
      { status: 410, headers: tokenPageHeaders },
    );
  }
  const query = new URLSearchParams({ constituency: confirmed.constituencySlug });
  // Which candidates could not be emailed: public ids, nothing about the supporter.
  for (const c of confirmed.withoutEmail) query.append("noEmail", String(c.candidacyId));
  throw redirect(`${paths.thankYou}?${query}`, { headers: tokenPageHeaders });
}

export default function ConfirmAsk() {
  const { ask, receipt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const state = result?.state ?? (ask ? "ready" : "dead");

  if (state === "already-sent") {
    return (
      <>
        <title>Your message has already been sent</title>
        <h1 className="heading-xl">Your message has already been sent</h1>
        <p>You pressed the button before, perhaps in another tab or window, so there is nothing more to do.</p>
        {result?.constituencySlug ? (
          <p>
            When a candidate signs, it will show on{" "}
            <Link to={paths.constituency(result.constituencySlug)}>your constituency&apos;s page</Link>.
          </p>
        ) : null}
      </>
    );
  }
  if (state === "expired") {
    return (
      <>
        <title>This link has expired</title>
        <h1 className="heading-xl">This link has expired</h1>
        <p>
          Each link works for {describeDuration(ASK_LIFETIME_MS)}. If we sent you a reminder, use the link in the newest
          email.
        </p>
        <p>
          Your message has not been sent. <Link to={paths.home}>Start again</Link>.
        </p>
      </>
    );
  }
  if (state === "dead" || !ask) {
    return (
      <>
        <title>This link has expired or has already been used</title>
        <h1 className="heading-xl">This link has expired or has already been used</h1>
        <p>
          Each link works once, for {describeDuration(ASK_LIFETIME_MS)}. If we sent you a reminder, use the link in the
          newest email.
        </p>
        <p>
          If you have already confirmed, your message has been sent. Otherwise, <Link to={paths.home}>start again</Link>
          .
        </p>
      </>
    );
  }
  return (
    <>
      <title>Send your message</title>
      <h1 className="heading-xl">Send your message</h1>
      <p className="body-l">
        Hello {ask.name}. Your message to candidates in {ask.constituencyName} is ready to go to:
      </p>
      <ul className="list">
        {ask.candidateNames.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
      <Form method="post">
        <input type="hidden" name="receipt" value={receipt ?? ""} />
        <button type="submit" className="button">
          Send my message
        </button>
      </Form>
      <p>If you did not ask for this, close this page: nothing will be sent.</p>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
