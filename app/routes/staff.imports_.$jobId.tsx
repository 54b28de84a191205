import {
  data,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { readStaffForm, requireStaff } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup } from "~/components/field";
import { TableScroll } from "~/components/table-scroll";
import { readImportJob, startImport } from "~/importers/import-jobs.server";
import type { Problem, Withdrawal } from "~/importers/problems";
import type { Progress } from "~/importers/types";
import { discardUpload, type ImportSummary, type PlanTable } from "~/importers/upload.server";
import { recordAudit } from "~/models/audit.server";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import {
  importKindLabels,
  runningImportMessage,
  uploadableImportKinds,
  type UploadableImportKind,
} from "~/utils/import-upload";
import { UPLOAD_LIFETIME_MS } from "~/utils/lifetimes";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";
import { describeDuration, ukDateTime } from "~/utils/time";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

// Without JavaScript the page reloads itself this often while the job runs.
const refreshSeconds = 2;

const idParam = z.coerce.number().int().positive();

function notFound() {
  return new Response("Not found", { status: 404, headers: staffPageHeaders });
}

async function jobOf({ params, now }: { params: LoaderFunctionArgs["params"]; now: Date }) {
  const id = idParam.safeParse(params.jobId);
  const job = id.success ? await readImportJob({ id: id.data, now }) : undefined;
  if (!job) throw notFound();
  return job;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const job = await jobOf({ params, now: new Date() });
  return data(
    {
      csrfToken: session.csrfToken,
      job: {
        id: job.id,
        action: job.action,
        status: job.status,
        fileName: job.fileName,
        sha256: job.sha256,
        kind: job.kind,
        startedBy: job.startedBy,
        startedAt: ukDateTime(job.createdAt),
        error: job.error,
        result: job.result,
        progress: job.progress,
      },
    },
    { headers: staffPageHeaders },
  );
}

function reply(errors: FieldErrors, status: number) {
  return data({ errors }, { status, headers: staffPageHeaders });
}

/** The second press (import the checked file), or discarding the file instead. */
export async function action({ request, params }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const form = await readStaffForm(request, session);
  const now = new Date();
  const job = await jobOf({ params, now });
  const checked = job.action === "check" && job.result?.outcome === "checked" ? job.result.summary : null;
  if (!checked) return reply({ apply: "Only a finished dry run can be imported: check the file again" }, 400);
  const upload = { sha256: job.sha256, fileName: job.fileName };
  if (form.get("intent") === "discard") {
    await discardUpload(upload);
    await recordAudit({
      actor: session.account.email,
      action: "import.discard",
      subject: `import-job:${job.id}`,
      details: { fileName: job.fileName, sha256: job.sha256 },
      now,
    });
    throw redirect(paths.staffImports, { headers: staffPageHeaders });
  }
  // Exactly the withdrawals shown: if the database has changed since, the
  // import finds a different number and writes nothing.
  const n = checked.withdrawn;
  if (n > 0 && Number(form.get("confirmWithdrawals")) !== n)
    return reply(
      {
        confirmWithdrawals: `Confirm the ${n} withdrawal${n === 1 ? "" : "s"} to import this file, or upload a corrected file`,
      },
      400,
    );
  const started = await startImport({
    action: "apply",
    sha256: job.sha256,
    fileName: job.fileName,
    kind: uploadableKind(job.kind),
    replaceStaffEmails: form.get("replaceStaffEmails") === "yes",
    confirmedWithdrawals: n > 0 ? n : null,
    checkJobId: job.id,
    startedBy: session.account.email,
    now,
  });
  if (!started.started) return reply({ apply: runningImportMessage(started.running) }, 409);
  throw redirect(paths.staffImportJob(started.id), { headers: staffPageHeaders });
}

function uploadableKind(kind: string | null): UploadableImportKind | undefined {
  return (uploadableImportKinds as readonly (string | null)[]).includes(kind)
    ? (kind as UploadableImportKind)
    : undefined;
}

type Job = ReturnType<typeof useLoaderData<typeof loader>>["job"];
type JobResult = NonNullable<Job["result"]>;

function pageErrors({ job, actionErrors }: { job: Job; actionErrors: FieldErrors }): FieldErrors {
  const result = job.result;
  if (result?.outcome === "problems") {
    const n = result.total;
    return { problems: `${job.fileName} has ${n} problem${n === 1 ? "" : "s"}; nothing was imported`, ...actionErrors };
  }
  if (result?.outcome === "refused") return { refused: result.message, ...actionErrors };
  return actionErrors;
}

function headingOf(job: Job) {
  if (job.status === "running")
    return job.action === "check" ? `Checking ${job.fileName}` : `Importing ${job.fileName}`;
  if (job.result?.outcome === "applied") return `${job.fileName} was imported`;
  if (job.result?.outcome === "checked") return `What importing ${job.fileName} would change`;
  return `${job.fileName} was not imported`;
}

export default function ImportJob() {
  const { csrfToken, job } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = pageErrors({ job, actionErrors: actionData?.errors ?? {} });
  const heading = headingOf(job);
  return (
    <>
      <title>{errorTitle(`${heading} – Imports – Staff console`, errors)}</title>
      <ErrorSummary errors={errors} />
      <p>
        <Link to={paths.staffImports}>Back to imports</Link>
      </p>
      <h1 className="heading-xl break-anywhere">{heading}</h1>
      <JobDetails job={job} />
      {job.status === "running" ? <Running job={job} /> : null}
      {job.status === "failed" ? (
        <p>
          The import stopped with an error, so nothing was written: {job.error}. Check the file again, and if it happens
          again, ask whoever runs the server to look at its log.
        </p>
      ) : null}
      {job.status === "interrupted" ? (
        <p>
          The server stopped while this ran, so nothing was written.{" "}
          <Link to={paths.staffImports}>Check the file again</Link>.
        </p>
      ) : null}
      {job.result ? <Answer job={job} result={job.result} csrfToken={csrfToken} errors={errors} /> : null}
    </>
  );
}

function JobDetails({ job }: { job: Job }) {
  return (
    <p>
      {job.action === "check" ? "Dry run" : "Import"} started by {job.startedBy} at {job.startedAt}.
    </p>
  );
}

/** What the progress bar says: a count while checking rows, otherwise the step. */
function describeProgress(progress: Progress | null) {
  const n = (value: number) => value.toLocaleString("en-GB");
  if (!progress) return "Starting";
  if (progress.phase === "reading") return "Reading the file";
  if (progress.phase === "checking")
    return progress.rows === undefined || progress.done === undefined
      ? "Checking the file"
      : `Checking the file: ${n(progress.done)} of ${n(progress.rows)} rows`;
  if (progress.phase === "writing")
    return progress.rows === undefined ? "Writing the changes" : `Writing ${n(progress.rows)} changes`;
  return "Finishing";
}

function Running({ job }: { job: Job }) {
  const revalidator = useRevalidator();
  // With JavaScript the page updates in place; without it, the meta refresh below reloads it.
  useEffect(() => {
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, refreshSeconds * 1000);
    return () => clearInterval(timer);
  }, [revalidator]);
  const { progress } = job;
  const text = describeProgress(progress);
  const counting = progress?.phase === "checking" && progress.rows !== undefined && progress.done !== undefined;
  return (
    <section aria-labelledby="progress-heading">
      <noscript>
        <meta httpEquiv="refresh" content={String(refreshSeconds)} />
      </noscript>
      <h2 className="heading-m" id="progress-heading">
        Progress
      </h2>
      <div role="status">
        <p id="progress-text">{text}</p>
      </div>
      {counting ? (
        <progress className="progress" aria-labelledby="progress-text" max={progress.rows} value={progress.done}>
          {text}
        </progress>
      ) : (
        <progress className="progress" aria-labelledby="progress-text">
          {text}
        </progress>
      )}
      <p>
        This page updates itself every {refreshSeconds} seconds until the{" "}
        {job.action === "check" ? "dry run" : "import"} has finished. You can leave it: the{" "}
        {job.action === "check" ? "dry run" : "import"} carries on.{" "}
        <Link to={paths.staffImportJob(job.id)}>Refresh now</Link>
      </p>
    </section>
  );
}

function Answer({
  job,
  result,
  csrfToken,
  errors,
}: {
  job: Job;
  result: JobResult;
  csrfToken: string;
  errors: FieldErrors;
}) {
  switch (result.outcome) {
    case "checked":
      return <Checked summary={result.summary} csrfToken={csrfToken} errors={errors} />;
    case "applied":
      return <Applied summary={result.summary} />;
    case "problems":
      return <Problems fileName={job.fileName} problems={result.problems} total={result.total} />;
    case "refused":
      return (
        <p id="refused">
          {result.message} <Link to={paths.staffImports}>Check a file</Link>
        </p>
      );
    case "withdrawals-not-confirmed":
      return (
        <>
          <p>
            Nothing was written: the database changed after the dry run, and importing the file would now withdraw{" "}
            {result.total} candidate{result.total === 1 ? "" : "s"}.{" "}
            <Link to={paths.staffImports}>Check the file again</Link> to see and confirm them.
          </p>
          <WithdrawalTable table={{ shown: result.withdrawals, total: result.total }} />
        </>
      );
  }
}

function Counts({ summary }: { summary: ImportSummary }) {
  return (
    <dl className="summary-list">
      <div>
        <dt>File</dt>
        <dd className="break-anywhere">{summary.fileName}</dd>
      </div>
      <div>
        <dt>Kind</dt>
        <dd>{importKindLabels[summary.kind]}</dd>
      </div>
      <div>
        <dt>SHA-256</dt>
        <dd className="break-anywhere">
          <code>{summary.sha256}</code>
        </dd>
      </div>
      <div>
        <dt>Rows</dt>
        <dd>{summary.rows}</dd>
      </div>
      <div>
        <dt>Changes</dt>
        <dd>{summary.line}</dd>
      </div>
    </dl>
  );
}

function Checked({ summary, csrfToken, errors }: { summary: ImportSummary; csrfToken: string; errors: FieldErrors }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const n = summary.withdrawn;
  return (
    <section aria-label="The dry run">
      <p>This was a dry run: nothing has been written yet.</p>
      <Counts summary={summary} />
      <ChangeTables summary={summary} />
      {summary.changes.added.total + summary.changes.updated.total + n + summary.changes.removed.total === 0 ? (
        <p>The database already matches this file: importing it would change nothing.</p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        {summary.conflicts > 0 ? (
          <ChoiceGroup
            id="replaceStaffEmails"
            name="replaceStaffEmails"
            type="checkbox"
            legend="Conflicts with staff-added data"
            hint="Staff added these email addresses with the page each is published on. Unless you tick this, they are kept and the file's addresses are ignored."
            checked={[]}
            options={[
              {
                value: "yes",
                label:
                  summary.conflicts === 1
                    ? "Replace the staff-added address with the file's"
                    : `Replace the ${summary.conflicts} staff-added addresses with the file's`,
              },
            ]}
          />
        ) : null}
        {n > 0 ? (
          <ChoiceGroup
            id="confirmWithdrawals"
            name="confirmWithdrawals"
            type="checkbox"
            legend="Withdrawals"
            hint="The file no longer lists these candidates in a constituency it covers. A cut-off or partial export does this too."
            error={errors.confirmWithdrawals}
            checked={[]}
            options={[
              { value: String(n), label: n === 1 ? "I confirm this 1 withdrawal" : `I confirm these ${n} withdrawals` },
            ]}
          />
        ) : null}
        <p className="hint" id="apply-hint">
          Importing takes a few seconds for a whole election; the next page shows its progress. The file is kept on the
          server for {describeDuration(UPLOAD_LIFETIME_MS)}.
        </p>
        {errors.apply ? (
          <p className="error-message" id="apply">
            <span className="visually-hidden">Error:</span> {errors.apply}
          </p>
        ) : null}
        <div className="button-group">
          <button
            type="submit"
            name="intent"
            value="apply"
            className="button"
            aria-describedby="apply-hint"
            disabled={busy === "apply"}
          >
            Import this file
          </button>
          <button type="submit" name="intent" value="discard" className="button button--secondary">
            Discard this file
          </button>
        </div>
      </Form>
    </section>
  );
}

function Applied({ summary }: { summary: ImportSummary }) {
  return (
    <section aria-label="The import">
      <div className="notification" role="status">
        <p>{summary.line}</p>
      </div>
      <Counts summary={summary} />
      <ChangeTables summary={summary} />
    </section>
  );
}

const changeHeadings = {
  added: "Added",
  updated: "Updated",
  withdrawn: "Withdrawn",
  removed: "Removed",
  conflict: "Conflicts with staff-added data",
} as const;

function ChangeTables({ summary }: { summary: ImportSummary }) {
  return (
    <>
      <ChangeTable type="added" table={summary.changes.added} />
      <ChangeTable type="updated" table={summary.changes.updated} />
      <WithdrawalTable table={summary.withdrawals} />
      <ChangeTable type="removed" table={summary.changes.removed} />
      <ChangeTable type="conflict" table={summary.changes.conflict} />
      <p>Unchanged: {summary.unchanged}</p>
    </>
  );
}

function More({ shown, total }: { shown: number; total: number }) {
  return total > shown ? <p>…and {total - shown} more (the command line's --dry-run lists every one).</p> : null;
}

function ChangeTable({ type, table }: { type: "added" | "updated" | "removed" | "conflict"; table: PlanTable }) {
  if (table.total === 0) return null;
  const caption = `${changeHeadings[type]} (${table.total})`;
  return (
    <>
      <h2 className="heading-m">{caption}</h2>
      <TableScroll label={caption}>
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Record</th>
              <th scope="col">Key</th>
              <th scope="col">Name</th>
              {type === "updated" ? <th scope="col">Before → after</th> : null}
              {type === "conflict" ? <th scope="col">Staff-added → file value</th> : null}
            </tr>
          </thead>
          <tbody>
            {table.shown.map((change) => (
              <tr key={`${change.entity} ${change.key}`}>
                <td>{change.entity}</td>
                <td className="break-anywhere">{change.key}</td>
                <td>{change.label}</td>
                {type === "updated" || type === "conflict" ? (
                  <td className="break-anywhere">
                    {(change.details ?? []).map((detail) => (
                      <div key={detail}>{detail}</div>
                    ))}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <More shown={table.shown.length} total={table.total} />
    </>
  );
}

function WithdrawalTable({ table }: { table: { shown: Withdrawal[]; total: number } }) {
  if (table.total === 0) return null;
  const caption = `Withdrawn (${table.total})`;
  return (
    <>
      <h2 className="heading-m">{caption}</h2>
      <TableScroll label={caption}>
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Person id</th>
              <th scope="col">Name</th>
              <th scope="col">Party</th>
              <th scope="col">Constituency</th>
            </tr>
          </thead>
          <tbody>
            {table.shown.map((w) => (
              <tr key={w.personId}>
                <td>{w.personId}</td>
                <td>{w.name}</td>
                <td>{w.partyName}</td>
                <td>{w.constituencyName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <More shown={table.shown.length} total={table.total} />
    </>
  );
}

function Problems({ fileName, problems, total }: { fileName: string; problems: Problem[]; total: number }) {
  const caption = `Problems in ${fileName} (${total})`;
  return (
    <section aria-label="Problems">
      <p id="problems">
        The database is unchanged. Correct the file and <Link to={paths.staffImports}>check it again</Link>.
      </p>
      <TableScroll label={caption}>
        <table className="table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Line</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((p, i) => (
              <tr key={i}>
                <td className="break-anywhere">{p.file}</td>
                <td>{p.line ?? ""}</td>
                <td className="break-anywhere">{p.column ?? ""}</td>
                <td>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <More shown={problems.length} total={total} />
    </section>
  );
}
