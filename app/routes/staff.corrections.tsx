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
import { TextArea } from "~/components/field";
import { TableScroll } from "~/components/table-scroll";
import { decideCorrectionReport, listCorrectionReports } from "~/models/correction-report.server";
import { correctionKeptFor, correctionTopicLabels } from "~/utils/corrections";
import { cleanStatement } from "~/utils/fields";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

// The title is rendered by the page itself, so it can start "Error: ".
export const meta: MetaFunction = () => [noIndex];

const NOTE_MAX = 500;
const decisions = { resolve: "resolved", dismiss: "dismissed" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const query = new URL(request.url).searchParams;
  const decidedId = query.get("decided");
  const { open, decided } = await listCorrectionReports();
  const when = <T extends { createdAt: string; decidedAt: string | null }>(r: T) => ({
    ...r,
    createdAt: ukDateTime(r.createdAt),
    decidedAt: r.decidedAt ? ukDateTime(r.decidedAt) : "",
  });
  return data(
    {
      csrfToken: session.csrfToken,
      decided: decidedId && /^\d+$/.test(decidedId) ? decided.find((r) => r.id === Number(decidedId)) : undefined,
      open: open.map(when),
      closed: decided.map(when),
    },
    { headers: staffPageHeaders },
  );
}

const noteSchema = z.object({
  note: z
    .string()
    .transform(cleanStatement)
    .pipe(z.string().max(NOTE_MAX, `The note must be ${NOTE_MAX} characters or fewer`))
    .transform((note) => note || null),
});

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const id = Number(form.get("reportId"));
  const intent = String(form.get("intent") ?? "");
  if (!Number.isInteger(id) || !(intent in decisions))
    throw new Response("Bad request", { status: 400, headers: staffPageHeaders });
  const note = String(form.get("note") ?? "");
  const parsed = noteSchema.safeParse({ note });
  if (!parsed.success) {
    const errors: FieldErrors = { [`note-${id}`]: parsed.error.issues[0]?.message };
    return data({ reportId: id, note, errors }, { status: 400, headers: staffPageHeaders });
  }
  await decideCorrectionReport({
    id,
    decision: decisions[intent as keyof typeof decisions],
    note: parsed.data.note,
    staff: session.account,
    now: new Date(),
  });
  throw redirect(withQuery(paths.staffCorrections, { decided: String(id) }), { headers: staffPageHeaders });
}

export default function CorrectionQueue() {
  const { csrfToken, decided, open, closed } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const errors = failed?.errors ?? {};
  return (
    <>
      <title>{errorTitle("Corrections – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      <h1 className="heading-xl">Corrections</h1>
      {decided ? (
        <div className="notification" role="status">
          <p>
            The report about {decided.candidateName} is marked {decided.status}.
          </p>
        </div>
      ) : null}
      <p>
        Readers report what they think is wrong on a candidate&rsquo;s page. Check it against the candidate&rsquo;s own
        published information and Democracy Club, correct the page if it is wrong, then mark the report resolved, or
        dismissed if nothing needed changing. Reports are deleted {correctionKeptFor} after they are decided.
      </p>
      {open.length === 0 ? (
        <p className="body-l">No reports are waiting.</p>
      ) : (
        <>
          <p className="body-l">
            {open.length === 1 ? "1 report is" : `${open.length} reports are`} waiting, oldest first.
          </p>
          <ul className="review-list">
            {open.map((r) => {
              const noteId = `note-${r.id}`;
              return (
                <li key={r.id} className="review-card">
                  <h2 className="heading-m">
                    {correctionTopicLabels[r.topic]}: <Link to={paths.candidate(r.personId)}>{r.candidateName}</Link>
                  </h2>
                  <p className="hint">
                    {r.partyName}, {r.constituencyName}. Reported {r.createdAt}.{" "}
                    <Link to={paths.staffCandidate(r.personId)}>
                      Edit {r.candidateName}
                      <span className="visually-hidden"> in the console</span>
                    </Link>
                  </p>
                  <blockquote className="inset-text review-card__message">{r.details}</blockquote>
                  <p>
                    {r.reporterEmail ? (
                      <>
                        Reporter&rsquo;s email: <a href={`mailto:${r.reporterEmail}`}>{r.reporterEmail}</a>
                      </>
                    ) : (
                      "The reporter left no email address."
                    )}
                  </p>
                  <Form method="post" noValidate>
                    <input type="hidden" name={csrfField} value={csrfToken} />
                    <input type="hidden" name="reportId" value={r.id} />
                    <TextArea
                      id={noteId}
                      name="note"
                      rows={3}
                      label={
                        <>
                          Note (optional)<span className="visually-hidden"> on the report about {r.candidateName}</span>
                        </>
                      }
                      hint={`What you found or changed, for colleagues. Up to ${NOTE_MAX} characters.`}
                      defaultValue={failed?.reportId === r.id ? failed.note : ""}
                      error={errors[noteId]}
                    />
                    <div className="inline-actions">
                      <button type="submit" name="intent" value="resolve" className="button">
                        Resolve<span className="visually-hidden"> the report about {r.candidateName}</span>
                      </button>
                      <button type="submit" name="intent" value="dismiss" className="button button--secondary">
                        Dismiss<span className="visually-hidden"> the report about {r.candidateName}</span>
                      </button>
                    </div>
                  </Form>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {closed.length > 0 ? (
        <>
          <h2 className="heading-l">Decided</h2>
          <TableScroll label="Decided reports">
            <table className="table">
              <caption className="visually-hidden">Decided reports, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Candidate</th>
                  <th scope="col">What</th>
                  <th scope="col">Decision</th>
                  <th scope="col">Note</th>
                  <th scope="col">By</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {closed.map((r) => (
                  <tr key={r.id}>
                    <td>{r.candidateName}</td>
                    <td>{correctionTopicLabels[r.topic]}</td>
                    <td>{r.status === "resolved" ? "Resolved" : "Dismissed"}</td>
                    <td>{r.staffNote ?? ""}</td>
                    <td>{r.decidedBy ?? ""}</td>
                    <td>{r.decidedAt}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      ) : null}
    </>
  );
}
