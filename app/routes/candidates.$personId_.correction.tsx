import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { correctionTopics } from "#db/enums";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, TextArea, TextField } from "~/components/field";
import { findCandidacyIdByPerson, findCandidacySummary } from "~/models/candidacy.server";
import { submitCorrectionReport } from "~/models/correction-report.server";
import { CORRECTION_DETAILS_MAX, correctionKeptFor, correctionTopicLabels } from "~/utils/corrections";
import { optionalEmailAddress, plainText } from "~/utils/fields";
import { errorTitle, fieldErrorsOf } from "~/utils/forms";
import { paths } from "~/utils/paths";
import { noIndex } from "~/utils/private-page";
import { clientIpOf } from "~/utils/request.server";
import { rethrowAsTooManyRequests, retryAfterHeaders } from "~/utils/too-many-requests";

// The title is rendered by the page itself: it must start "Error: " after a
// failed submission, and meta functions cannot see action data.
export const meta: MetaFunction = () => [noIndex];

export const headers: HeadersFunction = ({ errorHeaders }) => retryAfterHeaders(errorHeaders);

async function findCandidacy(personId: string | undefined) {
  const candidacyId = await findCandidacyIdByPerson({ personId: personId ?? "" });
  const candidacy = candidacyId === undefined ? undefined : await findCandidacySummary({ candidacyId });
  if (!candidacy) throw new Response("Not found", { status: 404 });
  return candidacy;
}

const emptyValues = { topic: "", details: "", reporterEmail: "" };

export async function loader({ params }: LoaderFunctionArgs) {
  const candidacy = await findCandidacy(params.personId);
  return { candidacy, values: emptyValues };
}

const reportSchema = z.object({
  topic: z.enum(correctionTopics, { error: "Select what is wrong" }),
  details: plainText({
    required: "Enter what is wrong and what it should say",
    subject: "What is wrong",
    max: CORRECTION_DETAILS_MAX,
  }),
  reporterEmail: optionalEmailAddress({
    subject: "Your email address",
    message: "Enter an email address in the correct format, like name@example.com",
  }),
});

export async function action({ params, request, context }: ActionFunctionArgs) {
  const candidacy = await findCandidacy(params.personId);
  const form = await request.formData();
  const values = {
    topic: String(form.get("topic") ?? ""),
    details: String(form.get("details") ?? ""),
    reporterEmail: String(form.get("reporterEmail") ?? ""),
  };
  const parsed = reportSchema.safeParse(values);
  if (!parsed.success) return Response.json({ values, errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  try {
    await submitCorrectionReport({
      candidacyId: candidacy.id,
      ...parsed.data,
      clientIp: clientIpOf(context),
      now: new Date(),
    });
  } catch (error) {
    rethrowAsTooManyRequests(error);
  }
  throw redirect(paths.candidateCorrectionSent(candidacy.personId));
}

export default function ReportCorrection() {
  const { candidacy, values: initial } = useLoaderData<typeof loader>();
  const result = useActionData<{ values: typeof emptyValues; errors: Record<string, string> }>();
  const values = result?.values ?? initial;
  const errors = result?.errors ?? {};
  return (
    <>
      <title>{errorTitle(`Report a correction – ${candidacy.name}`, errors)}</title>
      <p>
        <Link to={paths.candidate(candidacy.personId)} className="back-link">
          Back to {candidacy.name}
        </Link>
      </p>
      <ErrorSummary errors={errors} />
      <span className="caption-l">
        {candidacy.name}, {candidacy.partyName}, {candidacy.constituencyName}
      </span>
      <h1 className="heading-xl">Report a correction</h1>
      <p>
        Tell us if something on {candidacy.name}&rsquo;s page is wrong. We check every report against the
        candidate&rsquo;s own published information and Democracy Club&rsquo;s.
      </p>
      <Form method="post" noValidate>
        <ChoiceGroup
          id="topic"
          name="topic"
          type="radio"
          legend="What is wrong?"
          error={errors.topic}
          checked={[values.topic]}
          options={correctionTopics.map((topic) => ({ value: topic, label: correctionTopicLabels[topic] }))}
        />
        <TextArea
          id="details"
          label="What is wrong, and what should it say?"
          hint={`If you can, say where the right information is published. You can enter up to ${CORRECTION_DETAILS_MAX.toLocaleString("en-GB")} characters.`}
          defaultValue={values.details}
          error={errors.details}
        />
        <TextField
          id="reporterEmail"
          label="Your email address (optional)"
          type="email"
          autoComplete="email"
          spellCheck={false}
          hint={`Only if you would like us to be able to ask you about your report. We use it for nothing else, and delete it with your report ${correctionKeptFor} after we have dealt with it.`}
          defaultValue={values.reporterEmail}
          error={errors.reporterEmail}
        />
        <button className="button" type="submit">
          Send report
        </button>
      </Form>
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
