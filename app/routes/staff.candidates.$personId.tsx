import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { TextArea, TextField } from "~/components/field";
import { HistoryPoints } from "~/components/history-points";
import { findCandidatePage } from "~/models/candidacy.server";
import { removeStaffCandidateEmail, setCandidateEmail } from "~/models/candidate-contact.server";
import { sendSigningLinkByStaff } from "~/models/signing-link.server";
import { findCandidateForStaff } from "~/models/staff-candidates.server";
import { shortDate } from "~/utils/names";
import { paths, withQuery } from "~/utils/paths";
import { pledgeStatusLabels, pointAnswerLabel, trustMarkLabels } from "~/utils/pledge";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import { csrfField } from "~/utils/staff-form";
import { ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

// The page's own <title> says "Error: " when a form on it has errors; the
// meta title is only for a candidate not found.
export const meta: MetaFunction<typeof loader> = ({ data: page }) =>
  page ? [noIndex] : [{ title: "Candidate not found – Staff console" }, noIndex];

const linkNotices = {
  sent: "A fresh signing link is on its way to the candidate's published email address.",
  "too-many":
    "No link was sent: this candidate has had as many signing links this hour as we send anyone. Try again later.",
  "no-email": "No link was sent: there is no published email address for this candidate.",
  withdrawn: "No link was sent: this candidate is no longer standing.",
} as const;

const emailNotices = {
  saved: "The email address is saved with where it is published, and written to the audit log.",
  changed:
    "The email address is saved with where it is published, and written to the audit log. Signing links sent to the old address no longer work.",
  removed: "The staff-added email address is removed and its signing links no longer work.",
} as const;

const pledgeNotices = {
  recorded: "The pledge is recorded, marked as recorded by the campaign, and written to the audit log.",
  unchanged: "Nothing changed: those answers, statement and evidence were already the current ones.",
} as const;

function noticeOf<T extends Record<string, string>>(notices: T, value: string | null): T[keyof T] | null {
  return value !== null && Object.hasOwn(notices, value) ? (notices[value] as T[keyof T]) : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const personId = params.personId ?? "";
  const staffView = await findCandidateForStaff({ personId });
  const page = await findCandidatePage({ personId });
  if (!staffView || !page) throw new Response("Not found", { status: 404, headers: staffPageHeaders });
  const query = new URL(request.url).searchParams;
  const { candidacy, emailSource, history, asks } = staffView;
  return data(
    {
      csrfToken: session.csrfToken,
      linkNotice: noticeOf(linkNotices, query.get("link")),
      pledgeNotice: noticeOf(pledgeNotices, query.get("pledge")),
      emailNotice: noticeOf(emailNotices, query.get("email")),
      candidacy: { ...candidacy, updatedAt: ukDateTime(candidacy.updatedAt) },
      emailSource:
        emailSource === null
          ? null
          : emailSource.added === "staff"
            ? {
                fromImport: false,
                importedAt: null,
                source: "staff",
                staff: {
                  sourceUrl: emailSource.sourceUrl,
                  addedBy: emailSource.addedBy,
                  addedAt: emailSource.addedAt ? shortDate(emailSource.addedAt) : null,
                },
              }
            : {
                fromImport: emailSource.source === "dc-candidates" || emailSource.source === "oi-candidates",
                importedAt: emailSource.importedAt ? ukDateTime(emailSource.importedAt) : null,
                source: emailSource.source,
              },
      points: page.points.map((p) => ({
        ...p,
        answeredAt: p.answeredAt ? shortDate(p.answeredAt) : null,
      })),
      pledge: page.pledge,
      statement: page.statement,
      trustMark: page.trustMark,
      evidenceUrl: page.evidenceUrl,
      history: history.map((h) => ({ ...h, createdAt: ukDateTime(h.createdAt) })),
      asks,
    },
    { headers: staffPageHeaders },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const personId = params.personId ?? "";
  const found = await findCandidateForStaff({ personId });
  if (!found) throw new Response("Not found", { status: 404, headers: staffPageHeaders });
  const intent = form.get("intent");
  const account = { id: session.account.id, email: session.account.email };
  const candidacyId = found.candidacy.id;
  const backTo = (email: keyof typeof emailNotices) =>
    redirect(`${withQuery(paths.staffCandidate(personId), { email })}#contact-details`, { headers: staffPageHeaders });
  if (intent === "set-email") {
    const values = { email: String(form.get("email") ?? ""), sourceUrl: String(form.get("sourceUrl") ?? "") };
    const saved = await setCandidateEmail({ candidacyId, ...values, account, now: new Date() });
    if (saved.status === "invalid") return emailReply({ form: "set-email", errors: saved.errors, values });
    if (saved.status === "unknown") throw new Response("Not found", { status: 404, headers: staffPageHeaders });
    throw backTo(saved.changed ? "changed" : "saved");
  }
  if (intent === "remove-email") {
    const values = { reason: String(form.get("reason") ?? "") };
    const removed = await removeStaffCandidateEmail({ candidacyId, reason: values.reason, account, now: new Date() });
    if (removed.status === "invalid") return emailReply({ form: "remove-email", errors: removed.errors, values });
    if (removed.status === "unknown") throw new Response("Not found", { status: 404, headers: staffPageHeaders });
    if (removed.status === "not-staff-added")
      return emailReply({
        form: "remove-email",
        errors: { reason: "Only an address staff added can be removed here; this one came from an import" },
        values,
      });
    throw backTo("removed");
  }
  if (intent !== "send-link") throw new Response("Bad request", { status: 400, headers: staffPageHeaders });
  const sent = await sendSigningLinkByStaff({
    candidacyId: found.candidacy.id,
    actor: session.account.email,
    now: new Date(),
  });
  const link = sent.status === "unknown" ? "no-email" : sent.status;
  throw redirect(`${withQuery(paths.staffCandidate(personId), { link })}#signing-link`, {
    headers: staffPageHeaders,
  });
}

type EmailReply = { form: "set-email" | "remove-email"; errors: FieldErrors; values: Record<string, string> };

function emailReply(reply: EmailReply) {
  return data(reply, { status: 400, headers: staffPageHeaders });
}

const importNames: Record<string, string> = {
  "dc-candidates": "Democracy Club candidates import",
  "oi-candidates": "Open Innovations candidates import",
};

type EmailSourceView = {
  fromImport: boolean;
  importedAt: string | null;
  source: string;
  staff?: { sourceUrl: string | null; addedBy: string | null; addedAt: string | null };
} | null;

function EmailSourceLine({ emailSource }: { emailSource: EmailSourceView }) {
  if (emailSource?.staff) {
    const { sourceUrl, addedBy, addedAt } = emailSource.staff;
    return (
      <>
        Added by {addedBy ?? "a member of staff"}
        {addedAt ? ` on ${addedAt}` : ""}
        {sourceUrl ? (
          <>
            {" "}
            from <a href={sourceUrl}>{sourceUrl}</a>
          </>
        ) : null}
      </>
    );
  }
  if (emailSource?.fromImport)
    return (
      <>
        From the {importNames[emailSource.source]}
        {emailSource.importedAt ? ` (last run ${emailSource.importedAt})` : ""}
      </>
    );
  return <>Source: {emailSource?.source ?? "unknown"}</>;
}

export default function StaffCandidate() {
  const {
    csrfToken,
    linkNotice,
    pledgeNotice,
    emailNotice,
    candidacy,
    emailSource,
    points,
    pledge,
    statement,
    trustMark,
    evidenceUrl,
    history,
    asks,
  } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const emailForm = reply?.form === "set-email" ? reply : null;
  const removeForm = reply?.form === "remove-email" ? reply : null;
  const errors = reply?.errors ?? {};
  const standing = candidacy.status === "standing";
  const reachedByMail = asks.deliveries.mail + asks.deliveries.digest;
  return (
    <>
      <title>{errorTitle(`${candidacy.name} – Candidates – Staff console`, errors)}</title>
      <ErrorSummary errors={errors} />
      <p>
        <Link to={paths.staffCandidates} className="back-link">
          Back to candidates
        </Link>
      </p>
      {pledgeNotice ? (
        <div className="notification" role="status">
          <p>{pledgeNotice}</p>
        </div>
      ) : null}
      <span className="caption-l">
        {candidacy.partyName}, {candidacy.constituencyName}
      </span>
      <h1 className="heading-xl">{candidacy.name}</h1>
      <dl className="summary-list">
        <div>
          <dt>Status</dt>
          <dd>{standing ? "Standing" : "Withdrawn"}</dd>
        </div>
        <div>
          <dt>Democracy Club person id</dt>
          <dd>{candidacy.personId}</dd>
        </div>
        <div>
          <dt>Ballot</dt>
          <dd className="break-anywhere">{candidacy.ballotPaperId}</dd>
        </div>
        <div>
          <dt>Public page</dt>
          <dd>
            <Link to={paths.candidate(candidacy.personId)}>See what the public sees</Link>
          </dd>
        </div>
      </dl>

      <section id="contact-details" aria-labelledby="contact-details-title">
        <h2 className="heading-l" id="contact-details-title">
          Contact details
        </h2>
        {emailNotice ? (
          <div className="inset-text" role="status">
            <p>{emailNotice}</p>
          </div>
        ) : null}
        <dl className="summary-list">
          <div>
            <dt>Email</dt>
            <dd className="break-anywhere">
              {candidacy.email ? (
                <>
                  {candidacy.email}
                  <br />
                  <span className="hint">
                    <EmailSourceLine emailSource={emailSource} />
                  </span>
                </>
              ) : (
                "No published email"
              )}
            </dd>
          </div>
          <div>
            <dt>Website</dt>
            <dd className="break-anywhere">
              {candidacy.homepageUrl ? <a href={candidacy.homepageUrl}>{candidacy.homepageUrl}</a> : "None published"}
            </dd>
          </div>
        </dl>

        <h3 className="heading-m">Add or correct the email address</h3>
        <p>
          Use an address the candidate publishes themselves, such as on their own or their party&apos;s website. It then
          counts as their published address: asks and signing links go to it, and their public page says where it was
          found. A later import keeps it, and lists any different address the file has as a conflict.
        </p>
        <Form method="post" noValidate>
          <input type="hidden" name={csrfField} value={csrfToken} />
          <TextField
            id="email"
            label="Email address"
            type="email"
            autoComplete="off"
            spellCheck={false}
            defaultValue={emailForm?.values.email ?? candidacy.email ?? ""}
            error={emailForm?.errors.email}
          />
          <TextField
            id="sourceUrl"
            label="Where is it published?"
            hint="The web address of the page that shows this email address, starting https://"
            autoComplete="off"
            spellCheck={false}
            defaultValue={emailForm?.values.sourceUrl ?? emailSource?.staff?.sourceUrl ?? ""}
            error={emailForm?.errors.sourceUrl}
          />
          <button type="submit" name="intent" value="set-email" className="button">
            Save the email address
          </button>
        </Form>

        {emailSource?.staff ? (
          <>
            <h3 className="heading-m">Remove the staff-added address</h3>
            <p>
              If the address is wrong or no longer published, remove it. {candidacy.name} is then left with no email
              address, and the signing links sent to it stop working.
            </p>
            <Form method="post" noValidate>
              <input type="hidden" name={csrfField} value={csrfToken} />
              <TextArea
                id="reason"
                label="Why is it being removed?"
                hint="This goes in the audit log."
                rows={3}
                maxLength={500}
                defaultValue={removeForm?.values.reason ?? ""}
                error={removeForm?.errors.reason}
              />
              <button type="submit" name="intent" value="remove-email" className="button button--warning">
                Remove the email address
              </button>
            </Form>
          </>
        ) : null}
      </section>

      <h2 className="heading-l">Asks</h2>
      <p>
        {asks.confirmed.toLocaleString("en-GB")} confirmed ask{asks.confirmed === 1 ? "" : "s"} named {candidacy.name};{" "}
        {reachedByMail.toLocaleString("en-GB")} reached them by mail.
        {asks.held > 0 ? ` ${asks.held.toLocaleString("en-GB")} more wait in the review queue.` : ""}
      </p>
      <dl className="summary-list">
        <div>
          <dt>Mailed on their own</dt>
          <dd>{asks.deliveries.mail.toLocaleString("en-GB")}</dd>
        </div>
        <div>
          <dt>Gathered into a digest</dt>
          <dd>{asks.deliveries.digest.toLocaleString("en-GB")}</dd>
        </div>
        <div>
          <dt>Recorded only: no published email</dt>
          <dd>{asks.deliveries["no-email"].toLocaleString("en-GB")}</dd>
        </div>
        <div>
          <dt>Recorded only: had already signed</dt>
          <dd>{asks.deliveries["already-signed"].toLocaleString("en-GB")}</dd>
        </div>
      </dl>

      <section id="signing-link" aria-labelledby="signing-link-title">
        <h2 className="heading-l" id="signing-link-title">
          Signing link
        </h2>
        {linkNotice ? (
          <div className="inset-text" role="status">
            <p>{linkNotice}</p>
          </div>
        ) : null}
        {!standing ? (
          <p>{candidacy.name} is no longer standing, so there is no link to send.</p>
        ) : candidacy.email ? (
          <>
            <p>
              The link goes only to the published address above, never to one typed here. Answers given through it are
              marked verified by email.
            </p>
            <Form method="post">
              <input type="hidden" name={csrfField} value={csrfToken} />
              <button type="submit" name="intent" value="send-link" className="button button--secondary">
                Send a fresh signing link
              </button>
            </Form>
          </>
        ) : (
          <p>
            There is no published email for {candidacy.name}, so no signing link can be sent: links go only to a
            published address. If they made a pledge elsewhere, record it with its evidence.
          </p>
        )}
      </section>

      <h2 className="heading-l">Pledge</h2>
      <p>
        <strong>{pledgeStatusLabels[pledge.status]}</strong>: {pledge.signed} of {pledge.pointCount} points signed
        {pledge.declined > 0 ? `, ${pledge.declined} declined` : ""}.
        {trustMark ? (
          <>
            {" "}
            <span className="tag">{trustMarkLabels[trustMark]}</span>
          </>
        ) : null}
        {trustMark === "recorded-by-campaign" && evidenceUrl ? (
          <>
            {" "}
            <a href={evidenceUrl}>See the evidence</a>
          </>
        ) : null}
      </p>
      <ul className="list">
        {points.map((p, i) => (
          <li key={p.id}>
            {i + 1}. {p.title}{" "}
            <span className={`tag${p.answer === "declined" ? " tag--red" : p.answer ? " tag--green" : " tag--grey"}`}>
              {pointAnswerLabel(p.answer)}
            </span>
            {p.answeredAt ? <span className="hint"> on {p.answeredAt}</span> : null}
          </li>
        ))}
      </ul>
      {statement ? <p className="statement">{statement}</p> : null}
      {trustMark === "verified-by-email" ? (
        <p>
          {candidacy.name} answered through their own signing link, so the campaign cannot record answers over theirs.
        </p>
      ) : standing ? (
        <p>
          <Link to={paths.staffCandidatePledge(candidacy.personId)} className="button">
            {trustMark ? "Correct or withdraw the recorded pledge" : "Record a pledge made elsewhere"}
          </Link>
        </p>
      ) : null}

      <h3 className="heading-m">History</h3>
      {history.length === 0 ? (
        <p>No answers recorded yet.</p>
      ) : (
        <ol className="list">
          {history.map((h) => (
            <li key={h.id} className="pledge-version">
              <h4 className="heading-s">
                {h.createdAt}, {h.recordedBy === "candidate" ? "by the candidate" : `recorded by ${h.recordedBy}`}
              </h4>
              <p>
                <span className="tag tag--grey">{trustMarkLabels[h.trustMark]}</span>
                {h.evidenceUrl ? (
                  <>
                    {" "}
                    <a href={h.evidenceUrl} className="break-anywhere">
                      Evidence
                    </a>
                  </>
                ) : null}
              </p>
              {h.note ? <p>Note: {h.note}</p> : null}
              <HistoryPoints points={h.points} />
              {h.statement ? <p className="statement">{h.statement}</p> : null}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
