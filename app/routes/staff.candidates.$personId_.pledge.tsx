import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, TextArea, TextField } from "~/components/field";
import { findCampaign } from "~/models/campaign.server";
import { findCandidatePage } from "~/models/candidacy.server";
import { recordPledgeByCampaign, type Answers } from "~/models/pledge.server";
import { cleanStatement, statement, webAddressOf } from "~/utils/fields";
import { errorTitle, fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { STATEMENT_MAX, pointAnswerLabel } from "~/utils/pledge";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

// The title is rendered by the page (it must start "Error: " after a failed submission).
export const meta: MetaFunction = () => [noIndex];

const NOTE_MAX = 500;

async function findPage(personId: string) {
  const page = await findCandidatePage({ personId });
  if (!page) throw new Response("Not found", { status: 404, headers: staffPageHeaders });
  return page;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const page = await findPage(params.personId ?? "");
  return data(
    {
      csrfToken: session.csrfToken,
      candidacy: page.candidacy,
      points: page.points.map((p) => ({ id: p.id, title: p.title, answer: p.answer })),
      statement: page.statement,
      trustMark: page.trustMark,
    },
    { headers: staffPageHeaders },
  );
}

// The fields in the order the page shows them: each point, the statement, the evidence, the note.
function pledgeSchema(points: { id: number; position: number }[]) {
  const shape: Record<string, z.ZodType<string, string>> = {};
  for (const point of points) {
    shape[`point-${point.id}`] = z.enum(["signed", "declined", "none"], {
      error: `Select an answer for point ${point.position}`,
    });
  }
  shape.statement = statement({ subject: "The statement" });
  shape.evidence = z
    .string()
    .trim()
    .min(1, "Enter the web address of the evidence")
    .pipe(webAddressOf({ subject: "The evidence" }));
  shape.note = z
    .string()
    .trim()
    .min(1, "Enter a note saying what the evidence is, for example “said so at the hustings”")
    .max(NOTE_MAX, `The note must be ${NOTE_MAX} characters or fewer`);
  return z.object(shape);
}

type Refusal = "verified" | "withdrawn";
type Result = { errors: FieldErrors; values: Record<string, string>; refused: null } | { refused: Refusal };

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const personId = params.personId ?? "";
  const page = await findPage(personId);
  const campaign = await findCampaign();
  if (!campaign) throw new Response("Not found", { status: 404, headers: staffPageHeaders });
  const reply = (result: Result, status: number) => data(result, { status, headers: staffPageHeaders });

  const values: Record<string, string> = {};
  for (const point of campaign.points) values[`point-${point.id}`] = String(form.get(`point-${point.id}`) ?? "");
  values.statement = cleanStatement(String(form.get("statement") ?? ""));
  values.evidence = String(form.get("evidence") ?? "").trim();
  values.note = String(form.get("note") ?? "").trim();
  const parsed = pledgeSchema(campaign.points).safeParse(values);
  if (!parsed.success) return reply({ errors: fieldErrorsOf(parsed.error), values, refused: null }, 400);

  const answers: Answers = {};
  for (const point of campaign.points) {
    const answer = parsed.data[`point-${point.id}`];
    if (answer === "signed" || answer === "declined") answers[point.id] = answer;
  }
  // "Not answered" on every point withdraws a recorded pledge; with nothing
  // recorded yet it would only make an empty entry.
  const first = campaign.points[0];
  if (Object.keys(answers).length === 0 && page.trustMark === null && first) {
    return reply(
      {
        errors: {
          [`point-${first.id}`]:
            "Select Signed or Declined for at least one point: there is no recorded pledge to withdraw",
        },
        values,
        refused: null,
      },
      400,
    );
  }

  const result = await recordPledgeByCampaign({
    electionId: campaign.electionId,
    personId,
    answers,
    statement: parsed.data.statement || null,
    evidenceUrl: parsed.data.evidence ?? "",
    note: parsed.data.note ?? "",
    recordedBy: session.account.email,
    now: new Date(),
  });
  if (result.status === "unknown") throw new Response("Not found", { status: 404, headers: staffPageHeaders });
  if (result.status === "verified" || result.status === "withdrawn") return reply({ refused: result.status }, 409);
  throw redirect(withQuery(paths.staffCandidate(personId), { pledge: result.changed ? "recorded" : "unchanged" }), {
    headers: staffPageHeaders,
  });
}

export default function RecordPledge() {
  const { csrfToken, candidacy, points, statement: currentStatement, trustMark } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && "errors" in result ? result.errors : {};
  const values = result && "values" in result ? result.values : null;
  // A refusal from the action wins over the loaded state: the candidate may have signed meanwhile.
  const refused: Refusal | null =
    result?.refused ??
    (trustMark === "verified-by-email" ? "verified" : candidacy.status !== "standing" ? "withdrawn" : null);
  const title = `Record a pledge – ${candidacy.name} – Staff console`;
  const current = (point: { id: number; answer: string | null }) =>
    values ? (values[`point-${point.id}`] ?? "") : (point.answer ?? (trustMark ? "none" : ""));
  return (
    <>
      <title>{errorTitle(title, errors)}</title>
      <ErrorSummary errors={errors} />
      <p>
        <Link to={paths.staffCandidate(candidacy.personId)} className="back-link">
          Back to {candidacy.name}
        </Link>
      </p>
      <span className="caption-l">
        {candidacy.name}, {candidacy.partyName}, {candidacy.constituencyName}
      </span>
      <h1 className="heading-xl">Record a pledge made elsewhere</h1>
      {refused === "verified" ? (
        <div className="inset-text" role="status">
          <p>
            {candidacy.name} answered through their own signing link, sent to their published email address. Those
            answers are verified by email and the campaign cannot record answers over them. Nothing was recorded.
          </p>
        </div>
      ) : refused === "withdrawn" ? (
        <div className="inset-text" role="status">
          <p>{candidacy.name} is no longer standing, so no pledge can be recorded for them. Nothing was recorded.</p>
        </div>
      ) : (
        <>
          <p>
            For a pledge the candidate made in public (a post, a letter, at a hustings). It is shown as{" "}
            <strong>recorded by the campaign</strong> with your evidence, and written to the audit log under your name.
            If the candidate later signs through their own link, their answers replace it.
          </p>
          <Form method="post" noValidate>
            <input type="hidden" name={csrfField} value={csrfToken} />
            {points.map((point, i) => (
              <ChoiceGroup
                key={point.id}
                id={`point-${point.id}`}
                name={`point-${point.id}`}
                type="radio"
                legend={`${i + 1}. ${point.title}`}
                error={errors[`point-${point.id}`]}
                checked={[current(point)]}
                options={[
                  { value: "signed", label: "Signed" },
                  { value: "declined", label: "Declined" },
                  { value: "none", label: pointAnswerLabel(null) },
                ]}
              />
            ))}
            <div className="inset-text">
              <p>
                Every entry is kept in the history; nothing is overwritten. To correct a recorded pledge, record it
                again with the right answers. To withdraw it, choose “{pointAnswerLabel(null)}” on every point and say
                why in the note.
              </p>
            </div>
            <TextArea
              id="statement"
              label="Their statement (optional)"
              hint={`Their own words, shown on their page as plain text. Up to ${STATEMENT_MAX} characters.`}
              defaultValue={values ? values.statement : (currentStatement ?? "")}
              error={errors.statement}
            />
            <TextField
              id="evidence"
              label="Evidence: web address"
              hint="Where the public can see the pledge, for example https://example.org/hustings-video"
              spellCheck={false}
              defaultValue={values?.evidence ?? ""}
              error={errors.evidence}
            />
            <TextField
              id="note"
              label="Note"
              hint="What the evidence is, or why you are correcting or withdrawing, for example “said so at the hustings”."
              defaultValue={values?.note ?? ""}
              error={errors.note}
            />
            <button type="submit" className="button">
              Record the pledge
            </button>
          </Form>
        </>
      )}
    </>
  );
}
