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
import { ChoiceGroup, TextField } from "~/components/field";
import { TableScroll } from "~/components/table-scroll";
import { eraseSupporter } from "~/models/erasure.server";
import { findHeldAbout } from "~/models/subject-access.server";
import { consentMethodLabels, consentPurposeLabels } from "~/utils/consent";
import { personEmail } from "~/utils/fields";
import { errorTitle, fieldErrorsOf, type FieldErrors } from "~/utils/forms";
import { shortDate } from "~/utils/names";
import { ukDateTime } from "~/utils/time";
import { paths, withQuery } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

// Access and erasure requests. The email is only ever posted, never put in a
// URL (it would sit in logs and history) or the audit log (which names the
// person by a keyed hash). Finding shows what is held; erasing takes a second
// page that says what cannot be undone or recalled.

const countSchema = z.coerce.number().int().min(0);
const erasedQuery = z.object({ erased: countSchema, cancelled: countSchema, suppressed: z.enum(["yes", "no"]) });

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const query = new URL(request.url).searchParams;
  const erased = erasedQuery.safeParse({
    erased: query.get("erased") ?? undefined,
    cancelled: query.get("cancelled") ?? undefined,
    suppressed: query.get("suppressed") ?? undefined,
  });
  return data(
    { csrfToken: session.csrfToken, erased: erased.success ? erased.data : null },
    { headers: staffPageHeaders },
  );
}

const intents = ["find", "review-erasure", "erase"] as const;

export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "admin" });
  const form = await readStaffForm(request, session);
  const typed = String(form.get("email") ?? "");
  const intent = z.enum(intents).catch("find").parse(form.get("intent"));
  const parsed = z.object({ email: personEmail }).safeParse({ email: typed });
  if (!parsed.success)
    return data(
      { step: "find" as const, errors: fieldErrorsOf(parsed.error), email: typed, held: null },
      { status: 400, headers: staffPageHeaders },
    );
  const { email } = parsed.data;
  if (intent === "erase") {
    const result = await eraseSupporter({
      email,
      reason: "staff-request",
      by: session.account.email,
      now: new Date(),
      suppress: form.get("suppress") === "yes",
    });
    throw redirect(
      withQuery(paths.staffPeople, {
        erased: String(result.asks),
        cancelled: String(result.mailsCancelled),
        suppressed: result.suppressed ? "yes" : "no",
      }),
      { headers: staffPageHeaders },
    );
  }
  return data(
    {
      step: intent === "find" ? ("found" as const) : ("confirm" as const),
      errors: {},
      email,
      held: await findHeldAbout({ email }),
    },
    { headers: staffPageHeaders },
  );
}

const statusLabels = {
  pending: "Not confirmed",
  confirmed: "Sent",
  held: "Held for review",
  rejected: "Not sent (rejected)",
} as const;

function plural(n: number, one: string, many = `${one}s`) {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

type Held = Awaited<ReturnType<typeof findHeldAbout>>;

function HeldSummary({ email, held }: { email: string; held: Held }) {
  return (
    <>
      <h2 className="heading-l">What we hold about {email}</h2>
      {held.nothingHeld ? (
        <p>We hold no asks and no mail for this address.</p>
      ) : (
        <>
          {held.asks.length > 0 ? (
            <TableScroll label="Their asks">
              <table className="table">
                <caption className="visually-hidden">Their asks</caption>
                <thead>
                  <tr>
                    <th scope="col">Constituency</th>
                    <th scope="col">Status</th>
                    <th scope="col">Asked on</th>
                    <th scope="col">Confirmed on</th>
                    <th scope="col">Candidates</th>
                    <th scope="col">Updates</th>
                    <th scope="col">Public list</th>
                  </tr>
                </thead>
                <tbody>
                  {held.asks.map((ask) => (
                    <tr key={ask.id}>
                      <td>{ask.constituencyName}</td>
                      <td>{statusLabels[ask.status]}</td>
                      <td>{shortDate(ask.createdAt)}</td>
                      <td>{ask.confirmedAt ? shortDate(ask.confirmedAt) : "–"}</td>
                      <td className="numeric">{ask.candidates}</td>
                      <td>{ask.wantsUpdates ? "Yes" : "No"}</td>
                      <td>{ask.showOnPublicList ? "Yes" : "No"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          ) : null}
          {held.consents.length > 0 ? (
            <TableScroll label="Their consents">
              <table className="table">
                <caption className="visually-hidden">Their consents, oldest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Consent</th>
                    <th scope="col">Given or withdrawn</th>
                    <th scope="col">How</th>
                    <th scope="col">Wording</th>
                  </tr>
                </thead>
                <tbody>
                  {held.consents.map((c, i) => (
                    <tr key={i}>
                      <td>{ukDateTime(c.at)}</td>
                      <td>{consentPurposeLabels[c.purpose]}</td>
                      <td>{c.action === "given" ? "Given" : "Withdrawn"}</td>
                      <td>{consentMethodLabels[c.method]}</td>
                      <td>{c.version}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          ) : null}
          <dl className="summary-list">
            <div>
              <dt>Mails to them</dt>
              <dd>{plural(held.mailsToThem, "mail")}</dd>
            </div>
            <div>
              <dt>Mails to candidates about them</dt>
              <dd>
                {plural(held.mailsToCandidates, "mail")} ({held.mailsSentToCandidates} sent)
              </dd>
            </div>
            <div>
              <dt>Not sent yet</dt>
              <dd>{plural(held.mailsNotSent, "mail")}</dd>
            </div>
            <div>
              <dt>Copies in the local mailbox</dt>
              <dd>{plural(held.mailboxCopies, "copy", "copies")}</dd>
            </div>
          </dl>
        </>
      )}
      {held.suppressed ? (
        <p>This address asked, when it was erased before, never to be signed up for campaign updates again.</p>
      ) : null}
      {held.blockListed ? (
        <p>
          This address is on the <Link to={paths.staffBlockList}>block list</Link>. Erasing does not take it off: an
          organiser can remove it there.
        </p>
      ) : null}
    </>
  );
}

export default function People() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: FieldErrors = result?.errors ?? {};
  if (result?.step === "confirm")
    return <ConfirmErasure csrfToken={loaded.csrfToken} email={result.email} held={result.held} />;
  return (
    <>
      <title>{errorTitle("Find a person’s data – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      {loaded.erased && !result ? (
        <div className="notification" role="status">
          <p>
            The person is erased: {plural(loaded.erased.erased, "ask")} anonymised (they still count, with no name,
            email, postcode or message), {plural(loaded.erased.cancelled, "mail")} not yet sent cancelled, and our
            copies of the mail that went emptied.
            {loaded.erased.suppressed === "yes" ? " They will not be signed up for updates again." : ""} The audit log
            records it without their address.
          </p>
        </div>
      ) : null}
      <h1 className="heading-xl">Find a person’s data</h1>
      <p>
        For a request to see or to erase what we hold about someone. Type the email address they asked from. It is not
        kept, and the audit log records each download and erasure without it.
      </p>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={loaded.csrfToken} />
        <input type="hidden" name="intent" value="find" />
        <TextField
          id="email"
          label="Email address"
          type="email"
          autoComplete="off"
          spellCheck={false}
          defaultValue={result?.email ?? ""}
          error={errors.email}
        />
        <button type="submit" className="button">
          Find
        </button>
      </Form>
      {result?.step === "found" ? (
        <>
          <HeldSummary email={result.email} held={result.held} />
          <h2 className="heading-m">An access request</h2>
          <p>
            Every row we hold about them, in one file to send them: their asks, which candidates they went to, the mail
            to them and about them. Nothing about anyone else.
          </p>
          {/* Not through Remix's fetch: the browser posts it, and saves the file that comes back. */}
          <Form method="post" action={paths.staffPeopleJson} reloadDocument>
            <input type="hidden" name={csrfField} value={loaded.csrfToken} />
            <input type="hidden" name="email" value={result.email} />
            <button type="submit" className="button button--secondary">
              Download everything we hold (JSON)
            </button>
          </Form>
          {result.held.nothingHeld ? null : (
            <>
              <h2 className="heading-m">An erasure request</h2>
              <Form method="post">
                <input type="hidden" name={csrfField} value={loaded.csrfToken} />
                <input type="hidden" name="intent" value="review-erasure" />
                <input type="hidden" name="email" value={result.email} />
                <button type="submit" className="button button--warning">
                  Erase this person
                </button>
              </Form>
            </>
          )}
        </>
      ) : null}
    </>
  );
}

function ConfirmErasure({ csrfToken, email, held }: { csrfToken: string; email: string; held: Held }) {
  return (
    <>
      <title>Erase this person? – Staff console</title>
      <h1 className="heading-xl">Erase {email}?</h1>
      <p>This cannot be undone. Erasing:</p>
      <ul className="list list--bullet">
        <li>removes their name, email address, postcode and personal message from every ask</li>
        <li>keeps each ask in the counts (per constituency, per candidate and on the dashboard), anonymised</li>
        <li>cancels {plural(held.mailsNotSent, "mail")} to them or about them that have not been sent yet</li>
        <li>empties our copies of the mail that was sent, and deletes the copies in the local mailbox</li>
      </ul>
      <div className="inset-text">
        <p>
          {held.mailsSentToCandidates > 0
            ? `${plural(held.mailsSentToCandidates, "mail")} about them already reached candidates. We cannot recall those: the candidates keep their copies.`
            : "No mail about them has reached a candidate yet."}
        </p>
      </div>
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        <input type="hidden" name="intent" value="erase" />
        <input type="hidden" name="email" value={email} />
        <ChoiceGroup
          id="suppress"
          name="suppress"
          type="checkbox"
          legend="If they ask us to"
          checked={[]}
          options={[
            {
              value: "yes",
              label: "Never sign this address up for campaign updates again",
              hint: "We keep only a scrambled (hashed) form of the address. If they ask their candidates again, the ask is sent, but without updates.",
            },
          ]}
        />
        <div className="button-group">
          <button type="submit" className="button button--warning">
            Erase everything
          </button>
          <Link to={paths.staffPeople}>Cancel</Link>
        </div>
      </Form>
    </>
  );
}
