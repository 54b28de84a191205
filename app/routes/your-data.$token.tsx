import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useParams } from "@remix-run/react";
import { ChoiceGroup } from "~/components/field";
import { LinkNotWorking } from "~/components/link-not-working";
import { eraseByLink, findYourData, leavePublicListByLink, stopUpdatesByLink } from "~/models/supporter-link.server";
import { commitWithOthers } from "~/utils/db.server";
import { consentMethodLabels, consentPurposeLabels, consentVersionName } from "~/utils/consent";
import { shortDate } from "~/utils/names";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, tokenPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";

// A supporter's own page, reached from the link at the foot of every mail we
// send them: what we hold, and buttons to stop updates, leave the public list
// or delete it all. No account: the link's token is the key. Opening it
// changes nothing (mail scanners follow links); only the buttons' POSTs do.

export const headers: HeadersFunction = () => tokenPageHeaders;

export const meta: MetaFunction = () => [noIndex];

const doneMessages = {
  updates: "You will get no more campaign updates from us.",
  "public-list": "Your name is no longer on the public list of supporters.",
} as const;

export async function loader({ params, request }: LoaderFunctionArgs) {
  const query = new URL(request.url).searchParams;
  const yours = await findYourData({ token: params.token ?? "", now: new Date() });
  // 404: a link that does not work shows nothing, not even that it once did.
  if (!yours)
    return data({ yours: null, confirmDelete: false, done: null }, { status: 404, headers: tokenPageHeaders });
  const done = query.get("done");
  return data(
    {
      yours,
      confirmDelete: query.get("confirm") === "delete",
      done: done === "updates" || done === "public-list" ? doneMessages[done] : null,
    },
    { headers: tokenPageHeaders },
  );
}

export async function action({ params, request }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const now = new Date();
  const gone = () => data({ yours: null }, { status: 404, headers: tokenPageHeaders });
  if (intent === "stop-updates") {
    const done = await commitWithOthers(async () => stopUpdatesByLink({ token, method: "manage-page", now }));
    if (!done) return gone();
    throw redirect(withQuery(paths.yourData(token), { done: "updates" }), { headers: tokenPageHeaders });
  }
  if (intent === "leave-public-list") {
    const done = await commitWithOthers(async () => leavePublicListByLink({ token, now }));
    if (!done) return gone();
    throw redirect(withQuery(paths.yourData(token), { done: "public-list" }), { headers: tokenPageHeaders });
  }
  if (intent === "delete") {
    // Erasure commits and checkpoints the WAL on its own, outside any shared commit.
    const erased = await eraseByLink({ token, suppress: form.get("suppress") === "yes", now });
    if (!erased) return gone();
    throw redirect(paths.yourDataDeleted, { headers: tokenPageHeaders });
  }
  return data({ yours: null }, { status: 400, headers: tokenPageHeaders });
}

const askStatusWords = {
  pending: "Waiting for you to confirm it: nothing has been sent",
  confirmed: "Sent to the candidates",
  // Held looks like sent from outside, as on the confirmation page.
  held: "Sent to the candidates",
  rejected: "Not sent",
} as const;

export default function YourData() {
  const { yours, confirmDelete, done } = useLoaderData<typeof loader>();
  const token = useParams().token ?? "";
  if (!yours) return <LinkNotWorking />;

  if (confirmDelete) {
    return (
      <>
        <title>Are you sure you want to delete your data?</title>
        <h1 className="heading-xl">Are you sure you want to delete your data?</h1>
        <p>We will delete your name, email address, postcode and message, and the record of what you agreed to.</p>
        <div className="inset-text">
          <p>
            <strong>
              Messages already delivered to candidates cannot be recalled. They are in the candidates&rsquo; own
              mailboxes, and we cannot delete them there.
            </strong>
          </p>
        </div>
        <p>
          Your ask will still count in the totals for your constituency and candidates, with nothing left that says it
          was you. Your name goes from the public list of supporters at once.
        </p>
        <Form method="post" action={paths.yourData(token)}>
          <ChoiceGroup
            id="suppress"
            name="suppress"
            type="checkbox"
            legend="If you ask again in future"
            checked={[]}
            options={[
              {
                value: "yes",
                label: "Never sign this email address up for campaign updates again",
                hint: "We keep only a scrambled form of your address that cannot be turned back into it.",
              },
            ]}
          />
          <div className="button-group">
            <button type="submit" className="button button--warning" name="intent" value="delete">
              Delete my data
            </button>
            <Link to={paths.yourData(token)} className="link">
              Cancel
            </Link>
          </div>
        </Form>
      </>
    );
  }

  return (
    <>
      <title>Your data</title>
      {done ? (
        <div className="notification" role="status">
          <p>{done}</p>
        </div>
      ) : null}
      <h1 className="heading-xl">Your data</h1>
      <p>
        This is what we hold about you, <strong>{yours.email}</strong>. Our{" "}
        <Link to={paths.privacy}>privacy notice</Link> says why and for how long.
      </p>
      {yours.asks.map((ask) => (
        <section key={ask.id} aria-labelledby={`ask-${ask.id}`}>
          <h2 className="heading-m" id={`ask-${ask.id}`}>
            Your ask in {ask.constituencyName}
          </h2>
          <dl className="summary-list">
            <div>
              <dt>Name</dt>
              <dd>{ask.name}</dd>
            </div>
            <div>
              <dt>Postcode</dt>
              <dd>{ask.postcode || "Deleted"}</dd>
            </div>
            <div>
              <dt>Your message</dt>
              <dd>{ask.personalMessage ?? "None"}</dd>
            </div>
            <div>
              <dt>To</dt>
              <dd>{ask.candidateNames.join(", ")}</dd>
            </div>
            <div>
              <dt>Made</dt>
              <dd>{shortDate(ask.createdAt)}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>{askStatusWords[ask.status]}</dd>
            </div>
            <div>
              <dt>On the public list</dt>
              <dd>{ask.showOnPublicList && !ask.hiddenFromPublicList ? "Yes" : "No"}</dd>
            </div>
            <div>
              <dt>Campaign updates</dt>
              <dd>{ask.wantsUpdates ? "Yes" : "No"}</dd>
            </div>
          </dl>
        </section>
      ))}
      <h2 className="heading-m">What you agreed to</h2>
      <ul className="list">
        {yours.consents.map((c, i) => (
          <li key={i}>
            {consentPurposeLabels[c.purpose]}: {c.action} on {ukDateTime(c.at)} on the {consentMethodLabels[c.method]}{" "}
            (wording {consentVersionName(c)}: &ldquo;{c.wording}&rdquo;)
          </li>
        ))}
      </ul>

      <h2 className="heading-l">What you can do</h2>
      <h3 className="heading-s">Stop campaign updates</h3>
      {yours.getsUpdates ? (
        <Form method="post" action={paths.yourData(token)}>
          <p>We will not email you campaign updates again. You keep everything else.</p>
          <button type="submit" className="button button--secondary" name="intent" value="stop-updates">
            Stop campaign updates
          </button>
        </Form>
      ) : (
        <p>You do not get campaign updates.</p>
      )}
      <h3 className="heading-s">Leave the public list of supporters</h3>
      {yours.onPublicList ? (
        <Form method="post" action={paths.yourData(token)}>
          <p>Your name comes off the public list straight away.</p>
          <button type="submit" className="button button--secondary" name="intent" value="leave-public-list">
            Take my name off the public list
          </button>
        </Form>
      ) : (
        <p>Your name is not on the public list.</p>
      )}
      <h3 className="heading-s">Delete everything</h3>
      <p>Delete everything we hold about you. You will be asked to confirm.</p>
      <Link to={paths.yourDataDelete(token)} className="button button--warning" role="button">
        Delete my data
      </Link>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
