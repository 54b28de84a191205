import {
  data,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { LinkNotWorking } from "~/components/link-not-working";
import { isLiveSupporterLink, stopUpdatesByLink } from "~/models/supporter-link.server";
import { commitWithOthers } from "~/utils/db.server";
import { paths } from "~/utils/paths";
import { noIndex, tokenPageHeaders } from "~/utils/private-page";

// The List-Unsubscribe link of every supporter mail. A mail client's
// "unsubscribe" button POSTs `List-Unsubscribe=One-Click` here (RFC 8058),
// from its own servers: no session, cookie or CSRF token, since the link's
// token is the authority, and the answer is a plain 200, never a redirect.
// Opening the link (a person, or a scanner prefetching it) changes nothing:
// the page shows a button that makes the same POST.

export const headers: HeadersFunction = () => tokenPageHeaders;

export const meta: MetaFunction = () => [noIndex];

const oneClickField = "List-Unsubscribe";
const oneClickValue = "One-Click";

export async function loader({ params }: LoaderFunctionArgs) {
  const live = await isLiveSupporterLink({ token: params.token ?? "", now: new Date() });
  return data({ live }, { status: live ? 200 : 404, headers: tokenPageHeaders });
}

export async function action({ params, request }: ActionFunctionArgs) {
  const form = await request.formData();
  // RFC 8058: the one-click POST carries exactly this field; anything else is not one.
  if (form.get(oneClickField) !== oneClickValue)
    return data({ state: "bad-request" as const }, { status: 400, headers: tokenPageHeaders });
  const stopped = await commitWithOthers(async () =>
    stopUpdatesByLink({ token: params.token ?? "", method: "one-click", now: new Date() }),
  );
  if (!stopped) return data({ state: "not-working" as const }, { status: 404, headers: tokenPageHeaders });
  // The same answer however many times it is sent, and whether or not updates were on.
  return data({ state: "stopped" as const }, { headers: tokenPageHeaders });
}

export default function Unsubscribe() {
  const { live } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const token = useParams().token ?? "";
  if (result?.state === "stopped") {
    return (
      <>
        <title>You have unsubscribed from campaign updates</title>
        <h1 className="heading-xl">You have unsubscribed from campaign updates</h1>
        <p>We will not email you campaign updates again.</p>
        <p>
          You can also <Link to={paths.yourData(token)}>see your data, leave the public list or delete your data</Link>.
        </p>
      </>
    );
  }
  if (!live || result?.state === "not-working") return <LinkNotWorking />;
  return (
    <>
      <title>Unsubscribe from campaign updates</title>
      <h1 className="heading-xl">Unsubscribe from campaign updates</h1>
      {result?.state === "bad-request" ? (
        <p className="error-message" role="alert">
          Nothing was changed. Press the button to unsubscribe.
        </p>
      ) : null}
      <p>We will stop emailing you campaign updates, such as when your candidates sign.</p>
      <Form method="post">
        <input type="hidden" name={oneClickField} value={oneClickValue} />
        <button type="submit" className="button">
          Unsubscribe
        </button>
      </Form>
      <p>
        <Link to={paths.yourData(token)}>See your data, leave the public list or delete your data</Link>
      </p>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
