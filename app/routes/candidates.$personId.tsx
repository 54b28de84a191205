import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useLoaderData } from "@remix-run/react";
import { findCampaign } from "~/models/campaign.server";
import { findCandidacyIdByPerson, findCandidatePage } from "~/models/candidacy.server";
import { requestSigningLink } from "~/models/signing-link.server";
import { publicPageHeaders } from "~/utils/http-cache";
import { socialMeta } from "~/utils/social-meta";
import { shortDate } from "~/utils/names";
import { formatSuppressedCount, suppressCount } from "~/utils/suppressed-count";
import { clientIpOf } from "~/utils/request.server";
import { rethrowAsTooManyRequests, retryAfterHeaders } from "~/utils/too-many-requests";
import { paths } from "~/utils/paths";
import { parseCandidatePageQuery } from "~/utils/page-query";
import { pointAnswerLabel, trustMarkLabels } from "~/utils/pledge";
import { HistoryPoints } from "~/components/history-points";
import { staticPage } from "~/utils/route-handle";
import { latestCandidateImport } from "~/models/import-run.server";
import { CandidateDataNote } from "~/components/candidate-data-note";

// Complete as HTML: no framework runtime (see utils/route-handle.ts).
export const handle = staticPage();

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: "Candidate not found" }];
  const { candidacy, pledge } = data;
  const description = `${candidacy.name} (${candidacy.partyName}, ${candidacy.constituencyName}) has signed ${pledge.signed} of ${pledge.pointCount} points of the pledge.`;
  return [
    { title: `${candidacy.name} – ${candidacy.constituencyName}` },
    ...socialMeta({
      matches,
      title: `${candidacy.name}: ${pledge.signed} of ${pledge.pointCount} points signed`,
      description,
      path: paths.candidate(candidacy.personId),
    }),
  ];
};

// The page is public and cacheable; a 429 from the action is neither.
export const headers: HeadersFunction = (args) =>
  args.errorHeaders?.has("Retry-After") ? retryAfterHeaders(args.errorHeaders) : publicPageHeaders(args);

export async function loader({ params, request }: LoaderFunctionArgs) {
  const page = await findCandidatePage({ personId: params.personId ?? "" });
  if (!page) throw new Response("Not found", { status: 404 });
  const query = parseCandidatePageQuery(new URL(request.url).searchParams);
  const { emailOrigin } = page;
  return {
    ...page,
    emailOrigin:
      emailOrigin?.from === "campaign"
        ? { ...emailOrigin, addedAt: emailOrigin.addedAt ? shortDate(emailOrigin.addedAt) : null }
        : emailOrigin,
    asked: suppressCount(page.asked),
    ...query,
    contactEmail: (await findCampaign())?.fromEmail ?? null,
    candidateData: await latestCandidateImport(),
  };
}

// The link goes only to the address published for this candidate; the answer
// is the same whether or not we have one, so no one learns which we hold.
// requestSigningLink sends nothing to a withdrawn candidate or one without an email.
export async function action({ params, context }: ActionFunctionArgs) {
  const personId = params.personId ?? "";
  const candidacyId = await findCandidacyIdByPerson({ personId });
  if (candidacyId === undefined) throw new Response("Not found", { status: 404 });
  try {
    await requestSigningLink({ candidacyId, clientIp: clientIpOf(context), now: new Date() });
  } catch (error) {
    rethrowAsTooManyRequests(error);
  }
  throw redirect(`${paths.candidate(personId)}?link=requested#signing-link`);
}

export default function CandidatePage() {
  const {
    candidacy,
    points,
    pledge,
    statement,
    trustMark,
    evidenceUrl,
    history,
    asked,
    linkRequested,
    recorded,
    contactEmail,
    emailOrigin,
    candidateData,
  } = useLoaderData<typeof loader>();
  // Every point signed, even by a candidate who has since withdrawn: the answers stand.
  const allSigned = pledge.signedEveryPoint;
  const firstAnswer = history.at(-1);
  const lastChange = history[0];
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumbs">
        <ol>
          <li>
            <Link to={paths.constituencies}>Constituencies</Link>
          </li>
          <li>
            <Link to={paths.constituency(candidacy.constituencySlug)}>{candidacy.constituencyName}</Link>
          </li>
        </ol>
      </nav>
      {recorded ? (
        <div className="notification" role="status">
          <h2 className="heading-m">Thank you: your answers are recorded</h2>
          <p>They are public below. We have emailed a copy to your published address.</p>
        </div>
      ) : null}
      <span className="caption-l">
        {candidacy.partyName}, {candidacy.constituencyName}
      </span>
      <h1 className="heading-xl">{candidacy.name}</h1>
      {candidacy.status === "withdrawn" ? <p className="inset-text">This candidate is no longer standing.</p> : null}
      <p className="body-l">
        {history.length === 0
          ? "Has not answered the pledge yet."
          : allSigned
            ? "Has signed every point of the pledge."
            : `Has signed ${pledge.signed} of the ${pledge.pointCount} points of the pledge.`}
      </p>
      {trustMark ? (
        <p>
          <span className="tag">{trustMarkLabels[trustMark]}</span>{" "}
          {trustMark === "verified-by-email"
            ? "Signed through a link sent to the candidate's published email address."
            : "Made elsewhere and recorded by campaign staff."}
          {trustMark === "recorded-by-campaign" && evidenceUrl ? (
            <>
              {" "}
              <a href={evidenceUrl}>See the evidence</a>.
            </>
          ) : null}
        </p>
      ) : null}
      <table className="table">
        <caption className="visually-hidden">Answers to each point of the pledge</caption>
        <thead>
          <tr>
            <th scope="col">Point</th>
            <th scope="col">Answer</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p, i) => (
            <tr key={p.id}>
              <th scope="row">
                {i + 1}. {p.title}
                {p.answeredWords ? (
                  <div className="inset-text answered-words">
                    <p>The campaign changed this point&rsquo;s wording after they answered. They answered:</p>
                    <p>
                      <strong>{p.answeredWords.title}</strong>
                    </p>
                    <p>{p.answeredWords.body}</p>
                  </div>
                ) : null}
              </th>
              <td>
                {p.answer ? (
                  <>
                    <span className={`tag${p.answer === "declined" ? " tag--red" : " tag--green"}`}>
                      {pointAnswerLabel(p.answer)}
                    </span>
                    {p.answeredAt ? <span className="hint"> on {shortDate(p.answeredAt)}</span> : null}
                  </>
                ) : (
                  <span className="tag tag--grey">{pointAnswerLabel(null)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {statement ? (
        <>
          <h2 className="heading-m">Their statement</h2>
          <p className="statement">{statement}</p>
        </>
      ) : null}
      {firstAnswer && lastChange && history.length > 1 ? (
        <p className="hint">
          First answered on {shortDate(firstAnswer.createdAt)}; updated on {shortDate(lastChange.createdAt)}.
        </p>
      ) : firstAnswer ? (
        <p className="hint">Answered on {shortDate(firstAnswer.createdAt)}.</p>
      ) : null}
      {history.length > 1 ? (
        <details className="details">
          <summary>Every change ({history.length})</summary>
          {/* The append-only history as it was kept: what each version said, newest first. */}
          <ol className="list">
            {history.map((h, i) => (
              <li key={i} className="pledge-version">
                <h3 className="heading-s">
                  {i === 0 ? "Current answers" : i === history.length - 1 ? "First answers" : "Earlier answers"}, given
                  on {shortDate(h.createdAt)}
                </h3>
                <p>
                  <span className="tag tag--grey">{trustMarkLabels[h.trustMark]}</span>
                  {h.trustMark === "recorded-by-campaign" && h.evidenceUrl ? (
                    <>
                      {" "}
                      <a href={h.evidenceUrl}>See the evidence</a>
                    </>
                  ) : null}
                </p>
                <HistoryPoints points={h.points} />
                {h.statement ? (
                  <>
                    <p className="visually-hidden">Statement:</p>
                    <p className="statement">{h.statement}</p>
                  </>
                ) : (
                  <p className="hint">No statement.</p>
                )}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      <p>
        {formatSuppressedCount(asked, { sentenceStart: true })} constituents have asked {candidacy.name} to sign.
      </p>
      {allSigned ? (
        <section id="thank">
          <h2 className="heading-m">Thank {candidacy.name}</h2>
          <p>
            They have signed every point.{" "}
            {candidacy.homepageUrl ? (
              <>
                Let them know you noticed: <a href={candidacy.homepageUrl}>their website</a>.
              </>
            ) : (
              "Let them know you noticed when you next hear from their campaign."
            )}
          </p>
        </section>
      ) : candidacy.status === "standing" ? (
        <p>
          <Link className="button" to={paths.ask(candidacy.constituencySlug)}>
            Ask them to sign
          </Link>
        </p>
      ) : null}
      {candidacy.status === "standing" ? (
        <section id="signing-link" aria-labelledby="signing-link-title">
          <h2 className="heading-m" id="signing-link-title">
            Are you {candidacy.name}?
          </h2>
          {linkRequested ? (
            <div className="inset-text" role="status">
              <p>
                If we have an email address published for {candidacy.name}, we have sent a signing link to it. It can
                take a few minutes to arrive.
              </p>
            </div>
          ) : null}
          <p>
            We can email you a link to sign the pledge. For your security we send it only to the email address published
            for you{emailOrigin?.from === "campaign" ? "" : " by Democracy Club"}, never to an address typed here.
          </p>
          {emailOrigin?.from === "campaign" ? (
            <p>
              Email address published at{" "}
              <a href={emailOrigin.url ?? undefined} className="break-anywhere">
                {emailOrigin.url}
              </a>
              , added by the campaign{emailOrigin.addedAt ? ` on ${emailOrigin.addedAt}` : ""}.
            </p>
          ) : emailOrigin?.from === "import" ? (
            <p>Email address from Democracy Club.</p>
          ) : null}
          <Form method="post">
            <button type="submit" className="button button--secondary">
              Email me a signing link
            </button>
          </Form>
          <p>
            If no email address is published for you, add one on{" "}
            <a href="https://candidates.democracyclub.org.uk/">Democracy Club's candidates site</a> and ask again once
            it appears here
            {contactEmail ? (
              <>
                , or write to us at <a href={`mailto:${contactEmail}`}>{contactEmail}</a>
              </>
            ) : null}
            .
          </p>
        </section>
      ) : null}
      <p>
        <Link to={paths.candidateCorrection(candidacy.personId)}>Report a correction</Link> if something on this page is
        wrong.
      </p>
      <CandidateDataNote source={candidateData} />
    </>
  );
}

export { ErrorBoundary } from "~/components/route-error";
