import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, TextArea } from "~/components/field";
import { findCampaign } from "~/models/campaign.server";
import { findSigningPage, recordPledgeFromLink, requestSigningLink } from "~/models/signing-link.server";
import { type Answers } from "~/models/pledge.server";
import { cleanStatement, statement } from "~/utils/fields";
import { errorTitle, fieldErrorsOf } from "~/utils/forms";
import { STATEMENT_MAX, pointAnswerLabel } from "~/utils/pledge";
import { noIndex, tokenPageHeaders } from "~/utils/private-page";
import { clientIpOf } from "~/utils/request.server";
import { rethrowAsTooManyRequests, retryAfterHeaders } from "~/utils/too-many-requests";
import { SIGNING_LINK_LIFETIME_MS } from "~/utils/lifetimes";
import { describeDuration } from "~/utils/time";
import { paths } from "~/utils/paths";

export const headers: HeadersFunction = ({ errorHeaders }) => ({
  ...tokenPageHeaders,
  ...retryAfterHeaders(errorHeaders),
});

// The title is rendered by the page (it must start "Error: " after a failed submission).
export const meta: MetaFunction = () => [noIndex];

// Opening the link changes nothing (mail scanners follow links, GET and HEAD
// alike): only the button's POST records answers.
export async function loader({ params }: LoaderFunctionArgs) {
  const page = await findSigningPage({ token: params.token ?? "", now: new Date() });
  const campaign = await findCampaign();
  return {
    page,
    points: campaign?.points.map((p) => ({ id: p.id, title: p.title, body: p.body })) ?? [],
    contactEmail: campaign?.fromEmail ?? null,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const now = new Date();
  const form = await request.formData();

  if (form.get("intent") === "fresh-link") {
    const page = await findSigningPage({ token, now });
    // A fresh link goes to the published address, as every link does.
    try {
      if (page.status === "expired")
        await requestSigningLink({ candidacyId: page.candidacy.id, clientIp: clientIpOf(context), now });
    } catch (error) {
      rethrowAsTooManyRequests(error);
    }
    return Response.json(
      { freshLinkSent: true, errors: null, values: null, deadLink: null },
      { headers: tokenPageHeaders },
    );
  }

  // A dead link (pressed in a second tab, or after the address changed) says
  // why before any field errors: fixing the form would not help.
  const opened = await findSigningPage({ token, now });
  if (opened.status !== "valid") return deadLinkAnswer(opened);

  const points = (await findCampaign())?.points ?? [];
  const values: Record<string, string> = {};
  for (const point of points) values[`point-${point.id}`] = String(form.get(`point-${point.id}`) ?? "");
  // What the page shows again on error is the statement as it would be saved.
  values.statement = cleanStatement(String(form.get("statement") ?? ""));
  const parsed = signingSchema(points).safeParse(values);
  if (!parsed.success) {
    const errors = fieldErrorsOf(parsed.error);
    return Response.json(
      { freshLinkSent: false, errors, values, deadLink: null },
      { status: 400, headers: tokenPageHeaders },
    );
  }
  const answers: Answers = {};
  for (const point of points) {
    const answer = parsed.data[`point-${point.id}`];
    if (answer === "signed" || answer === "declined") answers[point.id] = answer;
  }

  const result = await recordPledgeFromLink({ token, answers, statement: parsed.data.statement || null, now });
  if (result.status !== "recorded") {
    // The link died between the check above and the write: show why.
    return deadLinkAnswer(await findSigningPage({ token, now }));
  }
  // A fresh address each time: the candidate page is cacheable (browsers may
  // show a stale copy while revalidating), and they must see what they just did.
  throw redirect(`${paths.candidate(opened.candidacy.personId)}?recorded=${now.getTime()}`, {
    headers: tokenPageHeaders,
  });
}

// The fields in the order the page shows them: each point, then the statement.
function signingSchema(points: { id: number; position: number }[]) {
  const shape: Record<string, z.ZodType<string, string>> = {};
  for (const point of points) {
    shape[`point-${point.id}`] = z.enum(["signed", "declined", "none"], {
      error: `Select whether you sign point ${point.position}`,
    });
  }
  shape.statement = statement({ subject: "Your statement" });
  return z.object(shape);
}

// Remix does not reload the page's data after a 4xx, so the answer carries
// the link's state itself for the page to explain.
function deadLinkAnswer(deadLink: Awaited<ReturnType<typeof findSigningPage>>) {
  return Response.json(
    { freshLinkSent: false, errors: null, values: null, deadLink },
    { status: 410, headers: tokenPageHeaders },
  );
}

export default function SignPledge() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { points, contactEmail } = loaded;
  const page = result?.deadLink ?? loaded.page;

  if (result?.freshLinkSent) {
    return (
      <>
        <title>Check your email</title>
        <h1 className="heading-xl">Check your email</h1>
        <p className="body-l">
          We have sent a new signing link to the email address published for this candidate. It works for{" "}
          {describeDuration(SIGNING_LINK_LIFETIME_MS)}.
        </p>
      </>
    );
  }

  if (page.status !== "valid") {
    const heading = page.status === "expired" ? "This signing link has expired" : "This signing link does not work";
    return (
      <>
        <title>{heading}</title>
        <h1 className="heading-xl">{heading}</h1>
        {page.status === "expired" ? (
          <>
            <p>
              Signing links work for {describeDuration(SIGNING_LINK_LIFETIME_MS)}. We can send a new one to the email
              address published for {page.candidacy.name}.
            </p>
            <Form method="post">
              <input type="hidden" name="intent" value="fresh-link" />
              <button type="submit" className="button">
                Email me a new link
              </button>
            </Form>
          </>
        ) : page.status === "revoked" ? (
          <p>
            The email address published for {page.candidacy.name} has changed since this link was sent, so it no longer
            works. <Link to={`${paths.candidate(page.candidacy.personId)}#signing-link`}>Ask for a new link</Link>; it
            will go to the new address.
          </p>
        ) : page.status === "withdrawn" ? (
          <p>{page.candidacy.name} is no longer standing, so the pledge can no longer be signed.</p>
        ) : (
          <p>
            Check you copied the whole link from the email. If it still does not work, ask for a new one from your page.
          </p>
        )}
        {contactEmail ? (
          <p>
            Need help? Write to <a href={`mailto:${contactEmail}`}>{contactEmail}</a>.
          </p>
        ) : null}
      </>
    );
  }

  const { candidacy, pledge } = page;
  const errors = result?.errors ?? {};
  const values = result?.values ?? null;
  const current = (pointId: number) =>
    values ? (values[`point-${pointId}`] ?? "") : (pledge.answers[pointId] ?? (pledge.updatedAt ? "none" : ""));
  const title = `Sign the pledge – ${candidacy.name}`;
  return (
    <>
      <title>{errorTitle(title, errors)}</title>
      <ErrorSummary errors={errors} />
      <span className="caption-l">
        {candidacy.name}, {candidacy.partyName}, {candidacy.constituencyName}
      </span>
      <h1 className="heading-xl">Sign the pledge</h1>
      <p>
        Your answers will be public on <Link to={paths.candidate(candidacy.personId)}>your page</Link>, marked as
        verified by email. You can come back and change them; every change is shown with its date.
      </p>
      <Form method="post" noValidate>
        {points.map((point, i) => (
          <ChoiceGroup
            key={point.id}
            id={`point-${point.id}`}
            name={`point-${point.id}`}
            type="radio"
            legend={`${i + 1}. ${point.title}`}
            hint={point.body}
            error={errors[`point-${point.id}`]}
            checked={[current(point.id)]}
            options={[
              { value: "signed", label: "I sign this point" },
              { value: "declined", label: "I do not sign this point" },
              { value: "none", label: pointAnswerLabel(null) },
            ]}
          />
        ))}
        <TextArea
          id="statement"
          label="A public statement (optional)"
          hint={`Shown on your page as plain text. You can enter up to ${STATEMENT_MAX} characters.`}
          defaultValue={values ? values.statement : (pledge.statement ?? "")}
          error={errors.statement}
        />
        <button type="submit" className="button">
          Confirm my answers
        </button>
      </Form>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
