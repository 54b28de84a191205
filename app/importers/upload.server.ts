// Imports from the staff console: a file uploaded through the browser is kept
// under its SHA-256, checked with a dry run of the same importer the command
// line runs, and imported for real only on a second press that names that
// SHA-256, so what is written is exactly what was shown.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { unstable_createMemoryUploadHandler } from "@remix-run/node";
import { recordAudit } from "~/models/audit.server";
import { findRunningImportJob } from "~/models/import-job.server";
import { env } from "~/utils/env.server";
import { UPLOAD_LIFETIME_MS } from "~/utils/lifetimes";
import { uploadLimitBytes, type UploadableImportKind } from "~/utils/import-upload";
import { runImport, summariseChanges } from "./import.server";
import { countChanges, type Change, type ChangeType } from "./plan";
import { looksLikePostcodeDirectory } from "./postcodes.server";
import { ImportFailed, WithdrawalsNotConfirmed, type Problem, type Withdrawal } from "./problems";
import { sha256Hex } from "~/utils/tokens.server";
import type { ImportResult, Progress } from "./types";

// Next to the database (var/ unless configured), never under build/ or
// public/: an upload is served to nobody.
function uploadsFolder() {
  return join(dirname(env.DATABASE_PATH), "uploads");
}

/**
 * Holds the form's parts in memory, each within the upload limit, so nothing
 * reaches the disk before the form's CSRF token has been checked.
 */
export function importUploadHandler() {
  return unstable_createMemoryUploadHandler({ maxPartSize: uploadLimitBytes });
}

/**
 * The name staff gave the file, as problems and the history report it (and a
 * HexJSON layout is named after): its last path segment, printable, short.
 * Never part of a path on the server.
 */
export function uploadedFileName(name: string) {
  const last = name.split(/[\\/]/).at(-1) ?? "";
  // eslint-disable-next-line no-control-regex
  const clean = last.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return clean.slice(0, 120) || "upload.csv";
}

function isJsonName(fileName: string) {
  return /\.(hex)?json$/i.test(fileName);
}

function storedPath({ sha256, fileName }: { sha256: string; fileName: string }) {
  return join(uploadsFolder(), `${sha256}.${isJsonName(fileName) ? "json" : "csv"}`);
}

const sha256Pattern = /^[0-9a-f]{64}$/;

/** Keeps an upload under its SHA-256 (the same file twice is stored once). */
export async function storeUpload({ file }: { file: File }) {
  const bytes = Buffer.from(await file.arrayBuffer());
  const sha256 = sha256Hex(bytes);
  const fileName = uploadedFileName(file.name);
  mkdirSync(uploadsFolder(), { recursive: true, mode: 0o700 });
  writeFileSync(storedPath({ sha256, fileName }), bytes, { mode: 0o600 });
  return { sha256, fileName };
}

/**
 * Deletes an upload nothing needs any more (imported, or found to be bad, or
 * discarded), unless a running job (other than `byJobId`, the one done with it) is reading it.
 */
export async function discardUpload({ byJobId, ...upload }: { sha256: string; fileName: string; byJobId?: number }) {
  const running = await findRunningImportJob();
  if (!sha256Pattern.test(upload.sha256) || (running?.sha256 === upload.sha256 && running.id !== byJobId)) return;
  rmSync(storedPath(upload), { force: true });
}

/**
 * Deletes every upload older than UPLOAD_LIFETIME_MS (a dry run nobody
 * imported), except the one a running job reads, so files never pile up.
 * Run on each upload and by the scheduled jobs; returns how many it deleted.
 */
export async function pruneUploads({ now }: { now: Date }) {
  const folder = uploadsFolder();
  if (!existsSync(folder)) return 0;
  const inUse = (await findRunningImportJob())?.sha256;
  let deleted = 0;
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (inUse !== undefined && name.startsWith(`${inUse}.`)) continue;
    if (now.getTime() - statSync(path).mtimeMs < UPLOAD_LIFETIME_MS) continue;
    rmSync(path, { force: true, recursive: true });
    deleted++;
  }
  return deleted;
}

export type PlanTable = { shown: Change[]; total: number };

/** What a page shows of an import: counts, and each kind of change up to `limit` rows. */
export type ImportSummary = {
  kind: ImportResult["kind"];
  fileName: string;
  sha256: string;
  rows: number;
  added: number;
  updated: number;
  withdrawn: number;
  removed: number;
  unchanged: number;
  /** Records whose staff-added data the file disagreed with (kept unless told otherwise). */
  conflicts: number;
  /** The command line's one-line summary, word for word. */
  line: string;
  changes: Record<ChangeType, PlanTable>;
  withdrawals: { shown: Withdrawal[]; total: number };
};

// A whole election is 4,515 candidates: enough rows to check by eye, not a page too big to load.
const planTableLimit = 200;

export function summariseImport({
  result,
  limit = planTableLimit,
}: {
  result: ImportResult;
  limit?: number;
}): ImportSummary {
  const table = (type: ChangeType): PlanTable => {
    const all = result.changes.filter((c) => c.type === type);
    return { shown: all.slice(0, limit), total: all.length };
  };
  const withdrawals = result.changes.flatMap((c) => (c.withdrawal ? [c.withdrawal] : []));
  return {
    kind: result.kind,
    fileName: result.file,
    sha256: result.sha256,
    rows: result.rows,
    added: result.added,
    updated: result.updated,
    withdrawn: result.withdrawn,
    removed: result.removed,
    unchanged: result.unchanged,
    conflicts: countChanges(result.changes, "conflict"),
    line: summariseChanges(result),
    changes: {
      added: table("added"),
      updated: table("updated"),
      withdrawn: table("withdrawn"),
      removed: table("removed"),
      conflict: table("conflict"),
    },
    withdrawals: { shown: withdrawals.slice(0, limit), total: withdrawals.length },
  };
}

const postcodeRefusal =
  "This is the ONS Postcode Directory, which is too big for the browser. Import it on the server's command line: npm run import -- FILE";

type Upload = { sha256: string; fileName: string; kind: UploadableImportKind | undefined };

type Refused = { outcome: "refused"; message: string };
type Failed = { outcome: "problems"; problems: Problem[] };

function findUpload(upload: Upload): { path: string } | Refused {
  const path = sha256Pattern.test(upload.sha256) ? storedPath(upload) : null;
  if (!path || !existsSync(path)) {
    return { outcome: "refused", message: "That upload is not on the server any more. Upload the file again." };
  }
  if (upload.kind === undefined && looksLikePostcodeDirectory({ path }))
    return { outcome: "refused", message: postcodeRefusal };
  return { path };
}

/** The dry run: what importing the stored upload would change, writing nothing. */
export async function checkUpload({
  onProgress,
  ...upload
}: Upload & { now: Date; onProgress?: (progress: Progress) => void }): Promise<
  { outcome: "checked"; summary: ImportSummary } | Refused | Failed
> {
  const found = findUpload(upload);
  if ("outcome" in found) return found;
  try {
    const result = await runImport({
      path: found.path,
      fileName: upload.fileName,
      expectedSha256: upload.sha256,
      kind: upload.kind,
      dryRun: true,
      now: () => upload.now,
      onProgress,
    });
    return { outcome: "checked", summary: summariseImport({ result }) };
  } catch (error) {
    if (error instanceof ImportFailed) return { outcome: "problems", problems: error.problems };
    throw error;
  }
}

/**
 * The second press: imports the stored upload for real, if its bytes still
 * hash to `sha256`, and audits it in the same transaction. Withdrawals go
 * ahead only when `confirmedWithdrawals` is the number the plan withdraws;
 * the file's emails replace staff-added ones only with `replaceStaffEmails`.
 * `alsoWrite` writes what belongs with the import (its job's answer) in its transaction.
 */
export async function applyUpload({
  actor,
  now,
  confirmedWithdrawals,
  replaceStaffEmails = false,
  onProgress,
  alsoWrite = () => {},
  ...upload
}: Upload & {
  actor: string;
  now: Date;
  confirmedWithdrawals: number | null;
  replaceStaffEmails?: boolean;
  onProgress?: (progress: Progress) => void;
  alsoWrite?: (applied: { importRunId: number; summary: ImportSummary }) => void | Promise<void>;
}): Promise<
  | { outcome: "applied"; importRunId: number; summary: ImportSummary }
  | { outcome: "withdrawals-not-confirmed"; withdrawals: Withdrawal[] }
  | Refused
  | Failed
> {
  const found = findUpload(upload);
  if ("outcome" in found) return found;
  let importRunId = 0;
  let summary: ImportSummary | undefined;
  try {
    const result = await runImport({
      path: found.path,
      fileName: upload.fileName,
      expectedSha256: upload.sha256,
      kind: upload.kind,
      confirmWithdrawals: confirmedWithdrawals ?? false,
      replaceStaffEmails,
      now: () => now,
      onProgress,
      alsoWrite: async ({ importRunId: id, result: run }) => {
        importRunId = id;
        await recordAudit({
          actor,
          action: "import.apply",
          subject: `import-run:${id}`,
          details: {
            kind: run.kind,
            fileName: run.file,
            sha256: run.sha256,
            counts: {
              rows: run.rows,
              added: run.added,
              updated: run.updated,
              withdrawn: run.withdrawn,
              removed: run.removed,
              unchanged: run.unchanged,
              conflicts: countChanges(run.changes, "conflict"),
            },
            replaceStaffEmails,
          },
          now,
        });
        summary = summariseImport({ result: run });
        await alsoWrite({ importRunId: id, summary });
      },
    });
    return { outcome: "applied", importRunId, summary: summary ?? summariseImport({ result }) };
  } catch (error) {
    if (error instanceof WithdrawalsNotConfirmed) {
      return { outcome: "withdrawals-not-confirmed", withdrawals: error.withdrawals };
    }
    if (error instanceof ImportFailed) return { outcome: "problems", problems: error.problems };
    throw error;
  }
}
