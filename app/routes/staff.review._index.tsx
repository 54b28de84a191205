import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { findCampaign } from "~/models/campaign.server";
import { listHeldAsks, releaseAsk, reviewRulesOf } from "~/models/review.server";
import { holdReasonLabels } from "~/utils/hold-reasons";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [{ title: "Review queue – Staff console" }, noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const campaign = await findCampaign();
  const query = new URL(request.url).searchParams;
  const decided = (name: string) => {
    const id = query.get(name);
    return id && /^\d+$/.test(id) ? Number(id) : null;
  };
  return data(
    {
      csrfToken: session.csrfToken,
      released: decided("released"),
      rejected: decided("rejected"),
      rules: campaign ? reviewRulesOf(campaign) : null,
      held: (await listHeldAsks()).map((a) => ({ ...a, heldAt: a.heldAt ? ukDateTime(a.heldAt) : "" })),
    },
    { headers: staffPageHeaders },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const askId = Number(form.get("askId"));
  if (form.get("intent") !== "release" || !Number.isInteger(askId))
    throw new Response("Bad request", { status: 400, headers: staffPageHeaders });
  await releaseAsk({ askId, reviewer: session.account, now: new Date() });
  throw redirect(withQuery(paths.staffReview, { released: String(askId) }), { headers: staffPageHeaders });
}

export default function ReviewQueue() {
  const { csrfToken, released, rejected, rules, held } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="heading-xl">Review queue</h1>
      {released !== null ? (
        <div className="notification" role="status">
          <p>Ask {released} was released: its mails are on their way.</p>
        </div>
      ) : null}
      {rejected !== null ? (
        <div className="notification" role="status">
          <p>Ask {rejected} was rejected: nothing was sent to candidates, and the supporter was told.</p>
        </div>
      ) : null}
      {rules ? (
        <details className="details">
          <summary>When an ask is held</summary>
          <div className="details__text">
            <p>An ask is held, not sent, when it is confirmed and:</p>
            <ul className="list list--bullet">
              <li>
                more than {rules.maxAsksPerAddressPerHour} asks came from its client address in the hour before it
              </li>
              <li>
                more than {rules.maxAsksPerNetworkPerHour} came from its network (the /24 or /48 around the address)
              </li>
              <li>its personal message is the same as in more than {rules.maxAsksWithSameMessage} asks</li>
              {rules.holdLinks ? <li>its personal message has a link in it</li> : null}
              {rules.holdDisposableDomains ? <li>its email address is at a disposable-mail domain</li> : null}
              <li>
                its email, domain, address or network is on the <Link to={paths.staffBlockList}>block list</Link>
              </li>
            </ul>
            <p>The thresholds are campaign settings.</p>
          </div>
        </details>
      ) : null}
      {held.length === 0 ? (
        <p className="body-l">No asks are waiting for review.</p>
      ) : (
        <>
          <p className="body-l">
            {held.length === 1 ? "1 ask is" : `${held.length} asks are`} waiting for review, oldest first. Release an
            ask to send its mails, or open it to reject it or block where it came from.
          </p>
          <ul className="review-list">
            {held.map((a) => (
              <li key={a.id} className="review-card">
                <h2 className="heading-m">
                  <Link to={paths.staffReviewAsk(a.id)}>
                    Ask {a.id}: {a.name}, {a.constituencyName}
                  </Link>
                </h2>
                <p className="hint">
                  Held {a.heldAt}; to {a.recipients === 1 ? "1 candidate" : `${a.recipients} candidates`}
                </p>
                <h3 className="heading-s">Why it was held</h3>
                <ul className="list list--bullet">
                  {a.holdReasons.map((r) => (
                    <li key={r}>{holdReasonLabels[r]}</li>
                  ))}
                </ul>
                {a.personalMessage ? (
                  <blockquote className="inset-text review-card__message">{a.personalMessage}</blockquote>
                ) : (
                  <p>No personal message.</p>
                )}
                <Form method="post" className="inline-actions">
                  <input type="hidden" name={csrfField} value={csrfToken} />
                  <input type="hidden" name="askId" value={a.id} />
                  <button type="submit" name="intent" value="release" className="button">
                    Release<span className="visually-hidden"> ask {a.id}</span>
                  </button>
                  <Link to={paths.staffReviewAsk(a.id)} className="button button--secondary">
                    Reject or block<span className="visually-hidden"> ask {a.id}</span>
                  </Link>
                </Form>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
