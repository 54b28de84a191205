import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { blockListKinds, type BlockListKind } from "#db/enums";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { blockFromAsk } from "~/models/block-list.server";
import { findHeldAsk, rejectAsk, releaseAsk } from "~/models/review.server";
import { holdReasonLabels } from "~/utils/hold-reasons";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = ({ params }) => [
  { title: `Ask ${params.id} – Review queue – Staff console` },
  noIndex,
];

function askIdOf(params: LoaderFunctionArgs["params"]) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Not found", { status: 404, headers: staffPageHeaders });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const id = askIdOf(params);
  const ask = await findHeldAsk({ id });
  // Released or rejected already (perhaps by a colleague): back to the queue.
  if (!ask) throw redirect(paths.staffReview, { headers: staffPageHeaders });
  const blocked = new URL(request.url).searchParams.get("blocked");
  return data(
    {
      csrfToken: session.csrfToken,
      blocked: (blockListKinds as readonly string[]).includes(blocked ?? "") ? (blocked as BlockListKind) : null,
      ask: { ...ask, heldAt: ask.heldAt ? ukDateTime(ask.heldAt) : "", domain: ask.email.split("@").at(-1) ?? "" },
    },
    { headers: staffPageHeaders },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const id = askIdOf(params);
  const form = await readStaffForm(request, session);
  const now = new Date();
  const intent = String(form.get("intent") ?? "");
  if (intent === "release") {
    await releaseAsk({ askId: id, reviewer: session.account, now });
    throw redirect(withQuery(paths.staffReview, { released: String(id) }), { headers: staffPageHeaders });
  }
  if (intent === "reject") {
    await rejectAsk({ askId: id, reviewer: session.account, now });
    throw redirect(withQuery(paths.staffReview, { rejected: String(id) }), { headers: staffPageHeaders });
  }
  const kind = intent.replace(/^block-/, "");
  if (intent.startsWith("block-") && (blockListKinds as readonly string[]).includes(kind)) {
    await blockFromAsk({
      askId: id,
      kind: kind as BlockListKind,
      accountId: session.account.id,
      actor: session.account.email,
      now,
    });
    throw redirect(withQuery(paths.staffReviewAsk(id), { blocked: kind }), { headers: staffPageHeaders });
  }
  throw new Response("Bad request", { status: 400, headers: staffPageHeaders });
}

const blockedWords: Record<BlockListKind, string> = {
  email: "This email address is on the block list now.",
  domain: "This email domain is on the block list now.",
  address: "This ask's client address is on the block list now.",
  network: "This ask's network is on the block list now.",
};

export default function HeldAsk() {
  const { csrfToken, blocked, ask } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to={paths.staffReview} className="back-link">
          Back to the review queue
        </Link>
      </p>
      {blocked ? (
        <div className="notification" role="status">
          <p>{blockedWords[blocked]} Later asks from it will be held. This ask is still waiting for you.</p>
        </div>
      ) : null}
      <h1 className="heading-l">
        Ask {ask.id}: {ask.name}
      </h1>
      <dl className="summary-list">
        <div>
          <dt>Email</dt>
          <dd>{ask.email}</dd>
        </div>
        <div>
          <dt>Postcode</dt>
          <dd>{ask.postcode}</dd>
        </div>
        <div>
          <dt>Constituency</dt>
          <dd>{ask.constituencyName}</dd>
        </div>
        <div>
          <dt>Held</dt>
          <dd>{ask.heldAt}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{ask.candidates.map((c) => c.name).join(", ")}</dd>
        </div>
      </dl>
      <h2 className="heading-m">Why it was held</h2>
      <ul className="list list--bullet">
        {ask.holdReasons.map((r) => (
          <li key={r}>{holdReasonLabels[r]}</li>
        ))}
      </ul>
      <h2 className="heading-m">Personal message</h2>
      {ask.personalMessage ? (
        <blockquote className="inset-text review-card__message">{ask.personalMessage}</blockquote>
      ) : (
        <p>No personal message.</p>
      )}
      <h2 className="heading-m">Decide</h2>
      <Form method="post" className="inline-actions">
        <input type="hidden" name={csrfField} value={csrfToken} />
        <button type="submit" name="intent" value="release" className="button">
          Release: send its mails
        </button>
        <button type="submit" name="intent" value="reject" className="button button--warning">
          Reject: send nothing
        </button>
      </Form>
      <p className="hint">
        Rejecting cancels its mails to candidates and sends the supporter a short note that it was not sent, without
        saying why.
      </p>
      <h2 className="heading-m">Block where it came from</h2>
      <p>Later asks matching a block are held for review. Blocking does not decide this ask.</p>
      <Form method="post" className="inline-actions">
        <input type="hidden" name={csrfField} value={csrfToken} />
        <button type="submit" name="intent" value="block-email" className="button button--secondary">
          Block {ask.email}
        </button>
        <button type="submit" name="intent" value="block-domain" className="button button--secondary">
          Block the domain {ask.domain}
        </button>
        <button type="submit" name="intent" value="block-address" className="button button--secondary">
          Block its client address
        </button>
        <button type="submit" name="intent" value="block-network" className="button button--secondary">
          Block its network
        </button>
      </Form>
    </>
  );
}
