import {
  data,
  MaxPartSizeExceededError,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readStaffForm, readStaffUpload, requireStaff } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { ChoiceGroup, FileField, SelectField } from "~/components/field";
import { TableScroll } from "~/components/table-scroll";
import {
  applyUpload,
  checkUpload,
  importUploadHandler,
  storeUpload,
  uploadedFileName,
  type ImportSummary,
  type PlanTable,
} from "~/importers/upload.server";
import type { Problem, Withdrawal } from "~/importers/problems";
import { listImportRuns } from "~/models/import-run.server";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import {
  importKindLabels,
  uploadableImportKinds,
  uploadLimitBytes,
  type UploadableImportKind,
} from "~/utils/import-upload";
import { shortDate } from "~/utils/names";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

const historyLimit = 50;
// A bad file can have a problem on every one of its thousands of rows.
const problemLimit = 200;
const megabytes = uploadLimitBytes / (1024 * 1024);

export function loader({ request }: LoaderFunctionArgs) {
  const session = requireStaff(request, { role: "organiser" });
  return data(
    {
      csrfToken: session.csrfToken,
      history: listImportRuns({ limit: historyLimit }).map((run) => ({
        ...run,
        finishedAt: shortDate(run.finishedAt),
      })),
    },
    { headers: staffPageHeaders },
  );
}

type Upload = { sha256: string; fileName: string; kind: UploadableImportKind | undefined };

type Result =
  | { stage: "form"; errors: FieldErrors; kind: string }
  | { stage: "problems"; errors: FieldErrors; kind: string; fileName: string; problems: Problem[]; total: number }
  | { stage: "checked"; errors: FieldErrors; upload: Upload; summary: ImportSummary }
  | { stage: "applied"; importRunId: number; summary: ImportSummary };

function reply(result: Result, status = 200) {
  return data(result, { status, headers: staffPageHeaders });
}

/** The kind the form chose: undefined to detect it, as the command line does without --kind. */
function kindOf(value: FormDataEntryValue | null): UploadableImportKind | undefined | "invalid" {
  if (value === null || value === "") return undefined;
  return (uploadableImportKinds as readonly string[]).includes(String(value))
    ? (value as UploadableImportKind)
    : "invalid";
}

function problemsReply({ upload, problems }: { upload: Upload; problems: Problem[] }) {
  const n = problems.length;
  return reply(
    {
      stage: "problems",
      errors: { file: `${upload.fileName} has ${n} problem${n === 1 ? "" : "s"}; nothing was imported` },
      kind: upload.kind ?? "",
      fileName: upload.fileName,
      problems: problems.slice(0, problemLimit),
      total: n,
    },
    400,
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const session = requireStaff(request, { role: "organiser" });
  const now = new Date();
  const multipart = (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
  return multipart ? checkAction({ request, session, now }) : applyAction({ request, session, now });
}

/** The first press: store the file and show its dry run. */
async function checkAction({ request, session, now }: { request: Request; session: { csrfToken: string }; now: Date }) {
  let form: FormData;
  try {
    form = await readStaffUpload(request, session, importUploadHandler());
  } catch (error) {
    if (!(error instanceof MaxPartSizeExceededError)) throw error;
    return reply({ stage: "form", errors: { file: `The file must be smaller than ${megabytes} MB` }, kind: "" }, 413);
  }
  const kindValue = String(form.get("kind") ?? "");
  const kind = kindOf(form.get("kind"));
  if (kindValue === "onspd-postcodes")
    return reply(
      {
        stage: "form",
        errors: {
          kind: "The ONS Postcode Directory is too big for the browser: import it on the server's command line (npm run import -- FILE)",
        },
        kind: "",
      },
      400,
    );
  if (kind === "invalid")
    return reply({ stage: "form", errors: { kind: "Select what kind of file it is" }, kind: "" }, 400);
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return reply({ stage: "form", errors: { file: "Select a file to check" }, kind: kindValue }, 400);
  const stored = await storeUpload({ file });
  const upload = { ...stored, kind };
  const checked = checkUpload({ ...upload, now });
  if (checked.outcome === "refused")
    return reply({ stage: "form", errors: { file: checked.message }, kind: kindValue }, 400);
  if (checked.outcome === "problems") return problemsReply({ upload, problems: checked.problems });
  return reply({ stage: "checked", errors: {}, upload, summary: checked.summary });
}

/** The second press: import exactly the file that was checked. */
async function applyAction({
  request,
  session,
  now,
}: {
  request: Request;
  session: { csrfToken: string; account: { email: string } };
  now: Date;
}) {
  const form = await readStaffForm(request, session);
  const kind = kindOf(form.get("kind"));
  if (kind === "invalid")
    return reply({ stage: "form", errors: { kind: "Select what kind of file it is" }, kind: "" }, 400);
  const upload = {
    sha256: String(form.get("sha256") ?? ""),
    fileName: uploadedFileName(String(form.get("fileName") ?? "")),
    kind,
  };
  const confirmed = Number(form.get("confirmWithdrawals"));
  const applied = applyUpload({
    ...upload,
    confirmedWithdrawals: Number.isInteger(confirmed) && confirmed > 0 ? confirmed : null,
    replaceStaffEmails: form.get("replaceStaffEmails") === "yes",
    actor: session.account.email,
    now,
  });
  if (applied.outcome === "refused") return reply({ stage: "form", errors: { file: applied.message }, kind: "" }, 400);
  if (applied.outcome === "problems") return problemsReply({ upload, problems: applied.problems });
  if (applied.outcome === "applied")
    return reply({ stage: "applied", importRunId: applied.importRunId, summary: applied.summary });
  // Nothing was written: show the plan again, with the withdrawals to confirm.
  const checked = checkUpload({ ...upload, now });
  if (checked.outcome === "refused") return reply({ stage: "form", errors: { file: checked.message }, kind: "" }, 400);
  if (checked.outcome === "problems") return problemsReply({ upload, problems: checked.problems });
  const n = applied.withdrawals.length;
  return reply(
    {
      stage: "checked",
      errors: {
        confirmWithdrawals: `Confirm the ${n} withdrawal${n === 1 ? "" : "s"} to import this file, or upload a corrected file`,
      },
      upload,
      summary: checked.summary,
    },
    400,
  );
}

export default function Imports() {
  const { csrfToken, history } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result && "errors" in result ? result.errors : {};
  const kind = result && "kind" in result ? result.kind : "";
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  return (
    <>
      <title>{errorTitle("Imports – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      <h1 className="heading-xl">Imports</h1>
      <p>
        Import a constituency, candidate or HexJSON map file, as <code>npm run import</code> does on the server. Each
        file is checked first and nothing changes until you import it on the next page.
      </p>
      {result?.stage === "applied" ? <Applied summary={result.summary} /> : null}
      {result?.stage === "checked" ? (
        <Checked
          summary={result.summary}
          upload={result.upload}
          csrfToken={csrfToken}
          error={result.errors.confirmWithdrawals}
          busy={busy === "apply"}
        />
      ) : null}
      {result?.stage === "problems" ? (
        <Problems fileName={result.fileName} problems={result.problems} total={result.total} />
      ) : null}
      <h2 className="heading-l">{result?.stage === "checked" ? "Or check another file" : "Check a file"}</h2>
      <Form method="post" encType="multipart/form-data" noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        <FileField
          id="file"
          label="File"
          hint={`A CSV (constituencies or candidates) or a HexJSON file, up to ${megabytes} MB. The ONS Postcode Directory is imported on the server's command line.`}
          accept=".csv,.json,.hexjson,text/csv,application/json"
          error={errors.file}
        />
        <SelectField
          id="kind"
          label="Kind of file"
          hint="Leave it to be detected from the file's header, unless detection gets it wrong."
          value={kind}
          allLabel="Detect from the file"
          options={uploadableImportKinds.map((k) => [k, importKindLabels[k]])}
          error={errors.kind}
        />
        <button type="submit" name="intent" value="check" className="button" disabled={busy === "check"}>
          {busy === "check" ? "Checking… this can take a minute" : "Check the file"}
        </button>
      </Form>
      <History history={history} />
    </>
  );
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

function Checked({
  summary,
  upload,
  csrfToken,
  error,
  busy,
}: {
  summary: ImportSummary;
  upload: Upload;
  csrfToken: string;
  error: string | undefined;
  busy: boolean;
}) {
  const n = summary.withdrawn;
  return (
    <section aria-labelledby="plan-heading">
      <h2 className="heading-l" id="plan-heading">
        What importing this file would change
      </h2>
      <p>This was a dry run: nothing has been written yet.</p>
      <Counts summary={summary} />
      <ChangeTables summary={summary} />
      {summary.changes.added.total + summary.changes.updated.total + n + summary.changes.removed.total === 0 ? (
        <p>The database already matches this file: importing it would change nothing.</p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name={csrfField} value={csrfToken} />
        <input type="hidden" name="sha256" value={upload.sha256} />
        <input type="hidden" name="fileName" value={upload.fileName} />
        <input type="hidden" name="kind" value={upload.kind ?? ""} />
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
            error={error}
            checked={[]}
            options={[
              { value: String(n), label: n === 1 ? "I confirm this 1 withdrawal" : `I confirm these ${n} withdrawals` },
            ]}
          />
        ) : null}
        <p className="hint" id="apply-hint">
          Importing takes a few seconds for a whole election; this can take a minute.
        </p>
        <button
          type="submit"
          name="intent"
          value="apply"
          className="button"
          aria-describedby="apply-hint"
          disabled={busy}
        >
          {busy ? "Importing… this can take a minute" : "Import this file"}
        </button>
      </Form>
    </section>
  );
}

function Applied({ summary }: { summary: ImportSummary }) {
  return (
    <section aria-labelledby="applied-heading">
      <div className="notification" role="status">
        <h2 className="heading-m" id="applied-heading">
          {summary.fileName} was imported
        </h2>
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
      <h3 className="heading-m">{caption}</h3>
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
      <h3 className="heading-m">{caption}</h3>
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
    <section aria-labelledby="problems-heading">
      <h2 className="heading-l" id="problems-heading">
        {fileName} was not imported
      </h2>
      <p>The database is unchanged. Correct the file and check it again.</p>
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

function History({
  history,
}: {
  history: {
    id: number;
    kind: keyof typeof importKindLabels;
    fileName: string;
    sha256: string;
    rows: number;
    added: number;
    updated: number;
    withdrawn: number;
    removed: number;
    unchanged: number;
    finishedAt: string;
  }[];
}) {
  return (
    <>
      <h2 className="heading-l">Import history</h2>
      {history.length === 0 ? (
        <p>Nothing has been imported yet.</p>
      ) : (
        <>
          <p>The last {historyLimit} imports, from the browser and the command line, newest first.</p>
          <TableScroll label="Import history">
            <table className="table">
              <caption className="visually-hidden">Import history</caption>
              <thead>
                <tr>
                  <th scope="col">Run</th>
                  <th scope="col">Imported</th>
                  <th scope="col">File</th>
                  <th scope="col">Kind</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Rows</th>
                  <th scope="col">Added</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Withdrawn</th>
                  <th scope="col">Removed</th>
                  <th scope="col">Unchanged</th>
                </tr>
              </thead>
              <tbody>
                {history.map((run) => (
                  <tr key={run.id}>
                    <td>{run.id}</td>
                    <td>{run.finishedAt}</td>
                    <td className="break-anywhere">{run.fileName}</td>
                    <td>{importKindLabels[run.kind]}</td>
                    <td>
                      <code title={run.sha256}>{run.sha256.slice(0, 12)}…</code>
                    </td>
                    <td>{run.rows}</td>
                    <td>{run.added}</td>
                    <td>{run.updated}</td>
                    <td>{run.withdrawn}</td>
                    <td>{run.removed}</td>
                    <td>{run.unchanged}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </>
  );
}
