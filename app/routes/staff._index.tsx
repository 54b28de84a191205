import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { outboxStatuses, type OutboxStatus } from "#db/enums";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { csrfField } from "~/utils/staff-form";
import { DailyChart } from "~/components/daily-chart";
import { TextField } from "~/components/field";
import { dashboardFigures, type DashboardFigures, type PeriodCounts } from "~/models/dashboard.server";
import { findSendingPause, pauseSending, resumeSending } from "~/models/sending-pause.server";
import { outboxStatusLabels } from "~/utils/outbox-status";
import { paths } from "~/utils/paths";
import { pledgeStatusLabels } from "~/utils/pledge";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { hasRole } from "~/utils/staff-roles";
import { ukDateTime } from "~/utils/time";
import { TableScroll } from "~/components/table-scroll";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [{ title: "Dashboard – Staff console" }, noIndex];

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "viewer" });
  const pause = await findSendingPause();
  return data(
    {
      csrfToken: session.csrfToken,
      canPause: hasRole({ role: session.account.role, needed: "organiser" }),
      canOpenOutbox: hasRole({ role: session.account.role, needed: "organiser" }),
      pause: pause ? { since: ukDateTime(pause.pausedAt), by: pause.pausedByEmail, reason: pause.reason } : null,
      figures: await dashboardFigures({ now: new Date() }),
    },
    { headers: staffPageHeaders },
  );
}

// Pausing and resuming all sending: organisers and admins.
export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const now = new Date();
  const actor = session.account.email;
  if (form.get("intent") === "pause") {
    const reason = String(form.get("reason") ?? "")
      .trim()
      .slice(0, 500);
    await pauseSending({ actor, accountId: session.account.id, reason: reason || null, now });
  } else if (form.get("intent") === "resume") {
    await resumeSending({ actor, now });
  }
  throw redirect(paths.staff, { headers: staffPageHeaders });
}

export default function Dashboard() {
  const { csrfToken, canPause, canOpenOutbox, pause, figures } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 className="heading-xl">Dashboard</h1>
      {pause ? (
        <div className="warning-banner" role="region" aria-labelledby="paused-title">
          <h2 className="heading-m" id="paused-title">
            All sending is paused
          </h2>
          <p>
            Since {pause.since}
            {pause.by ? ` by ${pause.by}` : ""}
            {pause.reason ? `: “${pause.reason}”` : ""}. Mail waits in the outbox and goes out when sending resumes.
          </p>
          {canPause ? (
            <Form method="post">
              <input type="hidden" name={csrfField} value={csrfToken} />
              <button type="submit" name="intent" value="resume" className="button">
                Resume sending
              </button>
            </Form>
          ) : null}
        </div>
      ) : null}
      {canPause && !pause ? (
        <details className="details">
          <summary>Pause all sending</summary>
          <Form method="post" className="details__text">
            <input type="hidden" name={csrfField} value={csrfToken} />
            <p>
              Stops every mail within seconds: confirmations, asks to candidates, signing links. Nothing is lost; it
              waits in the outbox.
            </p>
            <TextField id="reason" label="Why (for the audit log and your colleagues)" />
            <button type="submit" name="intent" value="pause" className="button button--warning">
              Pause all sending
            </button>
          </Form>
        </details>
      ) : null}
      <AskFigures asks={figures.asks} canReview={canOpenOutbox} />
      <MailFigures mails={figures.mails} canOpenOutbox={canOpenOutbox} />
      <CandidatesByNation rows={figures.candidatesByNation} />
      <TopConstituencies rows={figures.topConstituencies} />
      <h2 className="heading-m">Confirmed asks and signatures per day</h2>
      <DailyChart days={figures.perDay} />
    </>
  );
}

const numberFormat = new Intl.NumberFormat("en-GB");

function AskFigures({ asks, canReview }: { asks: DashboardFigures["asks"]; canReview: boolean }) {
  const periods: [keyof PeriodCounts, string][] = [
    ["today", "today"],
    ["week", "this week"],
    ["total", "in all"],
  ];
  return (
    <section aria-labelledby="asks-title">
      <h2 className="heading-m" id="asks-title">
        Asks
      </h2>
      {/* Said on the page because "this week" could as well mean since Monday. */}
      <p className="hint">Today is since midnight UK time; this week is the last 7 days.</p>
      <dl className="figures">
        {/* Started beside confirmed, period by period, so on a phone's two columns each row compares one period. */}
        {periods.map(([period, words]) => (
          <Fragment key={period}>
            <Figure term={`Started ${words}`} value={asks.started[period]} />
            <Figure term={`Confirmed ${words}`} value={asks.confirmed[period]} />
          </Fragment>
        ))}
        <div>
          <dt>Confirmation rate</dt>
          <dd>{asks.confirmationRate === null ? "None yet" : `${asks.confirmationRate}%`}</dd>
        </div>
        <Figure term="Waiting for review" value={asks.held} alert={asks.held > 0} />
      </dl>
      {canReview ? (
        <p>
          <Link to={paths.staffReview}>Open the review queue</Link>
        </p>
      ) : null}
    </section>
  );
}

// Held mail waits for a person and failed mail never arrived: both need
// someone to act, so they stand out, in words as well as colour.
const needsAttention: readonly OutboxStatus[] = ["held", "failed"];

function MailFigures({ mails, canOpenOutbox }: { mails: DashboardFigures["mails"]; canOpenOutbox: boolean }) {
  return (
    <section aria-labelledby="mail-title">
      <h2 className="heading-m" id="mail-title">
        Mail
      </h2>
      <dl className="figures">
        {outboxStatuses.map((status) => (
          <Figure
            key={status}
            term={outboxStatusLabels[status]}
            value={mails[status]}
            alert={needsAttention.includes(status) && mails[status] > 0}
          />
        ))}
      </dl>
      {canOpenOutbox ? (
        <p>
          <Link to={paths.staffOutbox}>Open the outbox</Link>
        </p>
      ) : null}
    </section>
  );
}

function Figure({ term, value, alert = false }: { term: string; value: number; alert?: boolean }) {
  return (
    <div className={alert ? "figures__alert" : undefined}>
      <dt>{term}</dt>
      <dd>
        {numberFormat.format(value)}
        {alert ? (
          <>
            {" "}
            <strong className="tag tag--red">Needs attention</strong>
          </>
        ) : null}
      </dd>
    </div>
  );
}

function CandidatesByNation({ rows }: { rows: DashboardFigures["candidatesByNation"] }) {
  if (rows.length === 0) {
    return (
      <>
        <h2 className="heading-m">Candidates by nation</h2>
        <p>No candidates are standing yet.</p>
      </>
    );
  }
  return (
    <TableScroll label="Candidates by nation">
      <table className="table">
        <caption className="heading-m" id="nations-title">
          Candidates by nation
        </caption>
        <thead>
          <tr>
            <th scope="col">Nation</th>
            <th scope="col" className="numeric">
              Standing
            </th>
            <th scope="col" className="numeric">
              {pledgeStatusLabels["signed-all"]}
            </th>
            <th scope="col" className="numeric">
              {pledgeStatusLabels["signed-some"]}
            </th>
            <th scope="col" className="numeric">
              {pledgeStatusLabels.declined}
            </th>
            <th scope="col" className="numeric">
              {pledgeStatusLabels["no-answer"]}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.nation}>
              <th scope="row">{row.nation}</th>
              <td className="numeric">{numberFormat.format(row.standing)}</td>
              <td className="numeric">{numberFormat.format(row.all)}</td>
              <td className="numeric">{numberFormat.format(row.some)}</td>
              <td className="numeric">{numberFormat.format(row.declined)}</td>
              <td className="numeric">{numberFormat.format(row.notYet)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function TopConstituencies({ rows }: { rows: DashboardFigures["topConstituencies"] }) {
  return (
    <section aria-labelledby="top-title">
      <h2 className="heading-m" id="top-title">
        Constituencies with most asks
      </h2>
      {rows.length === 0 ? (
        <p>No asks have been confirmed yet.</p>
      ) : (
        <ol className="list list--number">
          {rows.map((row) => (
            <li key={row.slug}>
              <Link to={paths.constituency(row.slug)}>{row.name}</Link>: {numberFormat.format(row.confirmedAsks)}{" "}
              confirmed {row.confirmedAsks === 1 ? "ask" : "asks"}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
