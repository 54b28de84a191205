import {
  data,
  MaxPartSizeExceededError,
  redirect,
  type ActionFunctionArgs,
  type HeadersFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readStaffUpload, requireStaff } from "~/auth/staff-auth.server";
import { ErrorSummary } from "~/components/error-summary";
import { FileField, SelectField } from "~/components/field";
import { TableScroll } from "~/components/table-scroll";
import { runningImport, startImport } from "~/importers/import-jobs.server";
import { importUploadHandler, pruneUploads, storeUpload } from "~/importers/upload.server";
import { listImportRuns } from "~/models/import-run.server";
import { errorTitle, type FieldErrors } from "~/utils/forms";
import {
  importKindLabels,
  runningImportMessage,
  uploadableImportKinds,
  uploadLimitBytes,
  type UploadableImportKind,
} from "~/utils/import-upload";
import { shortDate } from "~/utils/names";
import { paths } from "~/utils/paths";
import { noIndex, staffPageHeaders } from "~/utils/private-page";
import { csrfField } from "~/utils/staff-form";

export { ErrorBoundary } from "~/components/route-error";

export const headers: HeadersFunction = () => staffPageHeaders;

export const meta: MetaFunction = () => [noIndex];

const historyLimit = 50;
const megabytes = uploadLimitBytes / (1024 * 1024);

export async function loader({ request }: LoaderFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const running = await runningImport();
  return data(
    {
      csrfToken: session.csrfToken,
      running: running
        ? { id: running.id, message: runningImportMessage(running), action: running.action, fileName: running.fileName }
        : null,
      history: (await listImportRuns({ limit: historyLimit })).map((run) => ({
        ...run,
        finishedAt: shortDate(run.finishedAt),
      })),
    },
    { headers: staffPageHeaders },
  );
}

function reply(result: { errors: FieldErrors; kind: string }, status: number) {
  return data(result, { status, headers: staffPageHeaders });
}

/** The kind the form chose: undefined to detect it, as the command line does without --kind. */
function kindOf(value: FormDataEntryValue | null): UploadableImportKind | undefined | "invalid" {
  if (value === null || value === "") return undefined;
  return (uploadableImportKinds as readonly string[]).includes(String(value))
    ? (value as UploadableImportKind)
    : "invalid";
}

/** The first press: store the file and start its dry run, whose page shows its progress. */
export async function action({ request }: ActionFunctionArgs) {
  const session = await requireStaff(request, { role: "organiser" });
  const now = new Date();
  let form: FormData;
  try {
    form = await readStaffUpload(request, session, importUploadHandler());
  } catch (error) {
    if (!(error instanceof MaxPartSizeExceededError)) throw error;
    return reply({ errors: { file: `The file must be smaller than ${megabytes} MB` }, kind: "" }, 413);
  }
  const kindValue = String(form.get("kind") ?? "");
  const kind = kindOf(form.get("kind"));
  if (kindValue === "onspd-postcodes")
    return reply(
      {
        errors: {
          kind: "The ONS Postcode Directory is too big for the browser: import it on the server's command line (npm run import -- FILE)",
        },
        kind: "",
      },
      400,
    );
  if (kind === "invalid") return reply({ errors: { kind: "Select what kind of file it is" }, kind: "" }, 400);
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0)
    return reply({ errors: { file: "Select a file to check" }, kind: kindValue }, 400);
  // Before storing anything: a second import waits for the first.
  const running = await runningImport();
  if (running) return reply({ errors: { file: runningImportMessage(running) }, kind: kindValue }, 409);
  const stored = await storeUpload({ file });
  await pruneUploads({ now });
  const started = await startImport({
    action: "check",
    ...stored,
    kind,
    replaceStaffEmails: false,
    confirmedWithdrawals: null,
    startedBy: session.account.email,
    now,
  });
  if (!started.started) return reply({ errors: { file: runningImportMessage(started.running) }, kind: kindValue }, 409);
  throw redirect(paths.staffImportJob(started.id), { headers: staffPageHeaders });
}

export default function Imports() {
  const { csrfToken, history, running } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = result?.errors ?? {};
  const kind = result?.kind ?? "";
  const busy = navigation.state === "submitting";
  return (
    <>
      <title>{errorTitle("Imports – Staff console", errors)}</title>
      <ErrorSummary errors={errors} />
      <h1 className="heading-xl">Imports</h1>
      <p>
        Import a constituency, candidate or HexJSON map file, as <code>npm run import</code> does on the server. Each
        file is checked first and nothing changes until you import it on the next page.
      </p>
      {running ? (
        <div className="notification" role="status">
          <p>
            {running.message}.{" "}
            <Link to={paths.staffImportJob(running.id)}>
              See the progress of {running.action === "check" ? "the dry run" : "the import"} of {running.fileName}
            </Link>
          </p>
        </div>
      ) : null}
      <h2 className="heading-l">Check a file</h2>
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
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Uploading…" : "Check the file"}
        </button>
      </Form>
      <History history={history} />
    </>
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
