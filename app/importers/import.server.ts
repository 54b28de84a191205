import type { ImportKind } from "#db/enums";
import { readTransaction, writeTransaction } from "#db/index";
import { recordImportRun } from "~/models/import-run.server";
import { db } from "~/utils/db.server";
import { dcColumns, oiColumns, planCandidatesImport } from "./candidates.server";
import { hocColumns, onsColumns, planConstituencyImport } from "./constituencies.server";
import { planHexJsonImport } from "./hexjson.server";
import { importPostcodeTable, onspdColumns, summarisePostcodeImport } from "./postcodes.server";
import { countChanges, type ImportPlan } from "./plan";
import { ImportFailed, WithdrawalsNotConfirmed } from "./problems";
import { parseCsv, readSourceFile, type CsvTable, type SourceFile } from "./read-file.server";
import type { ImportResult, OnRowsChecked, Progress } from "./types";

/** Works out what a file is from its header (or, for HexJSON, its shape). */
export function detectKind(file: SourceFile, table: CsvTable | null): ImportKind {
  if (!table) return "hexjson";
  const has = (columns: readonly string[]) => columns.every((c) => table.header.includes(c));
  if (has(onspdColumns)) return "onspd-postcodes";
  if (has(oiColumns)) return "oi-candidates";
  if (has(dcColumns)) return "dc-candidates";
  if (has(hocColumns) && !table.header.includes("Candidate surname")) return "hoc-constituencies";
  if (has(onsColumns)) return "ons-constituencies";
  throw new ImportFailed([
    {
      file: file.name,
      line: 1,
      message:
        "cannot tell what this file is from its header. Expected one of: ONS names and codes (PCON24CD, PCON24NM, PCON24NMW); " +
        "House of Commons Library results by constituency (ONS ID, Constituency name, Region name, Country name, Electorate); " +
        "Democracy Club candidates (person_id, person_name, election_id, ballot_paper_id, party_id, party_name, post_label); " +
        "Open Innovations candidates (… pcon24cd); " +
        "ONS Postcode Directory (pcds, pcon, doterm). Use --kind to say which.",
    },
  ]);
}

function looksLikeJson(file: SourceFile) {
  return /\.(hex)?json$/i.test(file.name) || file.text.trimStart().startsWith("{");
}

/**
 * Imports one file in one IMMEDIATE transaction: every row is validated and
 * the whole change planned before anything is written, so a bad row leaves the
 * database exactly as it was. A dry run plans and reports without writing, in
 * a read transaction: it sees one moment of the database and holds no lock,
 * so a big file's dry run never makes another writer wait.
 * An import that would withdraw candidates throws WithdrawalsNotConfirmed,
 * having written nothing, unless `confirmWithdrawals` says it may.
 */
export async function runImport({
  path,
  fileName,
  expectedSha256,
  kind: forcedKind,
  dryRun = false,
  confirmWithdrawals = false,
  replaceStaffEmails = false,
  now = () => new Date(),
  onProgress = () => {},
  alsoWrite = () => {},
}: {
  path: string;
  /** The name to report the file by, when it is not the path's (a stored upload). */
  fileName?: string;
  /** Refuses the file unless its bytes still hash to this (the ones a dry run showed). */
  expectedSha256?: string;
  kind?: ImportKind;
  dryRun?: boolean;
  /**
   * Withdrawing someone is only ever done on purpose (a cut or partial file
   * would do it too). A number confirms exactly that many withdrawals: the
   * ones a person was shown, not more if the database changed since.
   */
  confirmWithdrawals?: boolean | number;
  /** A candidates file's email replaces one staff added (`--replace-staff-emails`); otherwise it is a conflict, kept. */
  replaceStaffEmails?: boolean;
  now?: () => Date;
  onProgress?: (progress: Progress) => void;
  /** Writes that belong with the import (an audit entry), in its transaction, given its import_runs id. */
  alsoWrite?: (applied: { importRunId: number; result: ImportResult }) => void | Promise<void>;
}): Promise<ImportResult> {
  const startedAt = now();
  onProgress({ phase: "reading" });
  const file = readSourceFile(path, fileName);
  if (expectedSha256 !== undefined && file.sha256 !== expectedSha256) {
    throw new ImportFailed([
      { file: file.name, message: `the file has changed since it was checked (its SHA-256 is now ${file.sha256})` },
    ]);
  }
  const json = forcedKind ? forcedKind === "hexjson" : looksLikeJson(file);
  const table = json ? null : parseCsv(file);
  const kind = forcedKind ?? detectKind(file, table);
  if (kind !== "hexjson" && !table) {
    throw new ImportFailed([{ file: file.name, message: `a ${kind} import needs a CSV file` }]);
  }
  // Small postcode files only (the sample election's): `npm run import`
  // streams the full directory through runPostcodeImport instead.
  if (kind === "onspd-postcodes") {
    return importPostcodeTable({ file, table: table!, dryRun, startedAt, now, onProgress });
  }
  const rows = table?.rows.length;
  onProgress({ phase: "checking", rows, done: rows === undefined ? undefined : 0 });
  const onRowsChecked: OnRowsChecked = (done) => onProgress({ phase: "checking", rows, done });

  return (dryRun ? readTransaction : writeTransaction)(db, async () => {
    const plan = await planFor({ kind, file, table, replaceStaffEmails, now: startedAt, onRowsChecked });
    const result: ImportResult = {
      kind,
      file: file.name,
      sha256: file.sha256,
      dryRun,
      rows: plan.rows,
      added: countChanges(plan.changes, "added"),
      updated: countChanges(plan.changes, "updated"),
      withdrawn: countChanges(plan.changes, "withdrawn"),
      removed: countChanges(plan.changes, "removed"),
      unchanged: plan.unchanged,
      changes: plan.changes,
    };
    if (dryRun) return result;
    const confirmed = confirmWithdrawals === true || confirmWithdrawals === result.withdrawn;
    if (result.withdrawn > 0 && !confirmed) {
      throw new WithdrawalsNotConfirmed(
        result.file,
        plan.changes.flatMap((c) => (c.withdrawal ? [c.withdrawal] : [])),
      );
    }
    onProgress({ phase: "writing", rows: plan.changes.length });
    await plan.apply();
    const importRunId = await recordImportRun({
      kind,
      fileName: result.file,
      sha256: result.sha256,
      dryRun: false,
      rows: result.rows,
      added: result.added,
      updated: result.updated,
      withdrawn: result.withdrawn,
      removed: result.removed,
      unchanged: result.unchanged,
      startedAt,
      finishedAt: now(),
    });
    await alsoWrite({ importRunId, result });
    onProgress({ phase: "done" });
    return result;
  });
}

async function planFor({
  kind,
  file,
  table,
  replaceStaffEmails,
  now,
  onRowsChecked,
}: {
  kind: Exclude<ImportKind, "onspd-postcodes">;
  file: SourceFile;
  table: CsvTable | null;
  replaceStaffEmails: boolean;
  now: Date;
  onRowsChecked: OnRowsChecked;
}): Promise<ImportPlan> {
  switch (kind) {
    case "hexjson":
      return planHexJsonImport({ file, now });
    case "ons-constituencies":
    case "hoc-constituencies":
      return planConstituencyImport({ kind, file, table: table!, now, onRowsChecked });
    case "dc-candidates":
    case "oi-candidates":
      return planCandidatesImport({ kind, file, table: table!, replaceStaffEmails, now, onRowsChecked });
  }
}

/**
 * One line a kind of record: "candidacies: 12 added, 3 withdrawn; parties: 2
 * added", then any conflicts with staff-added data, which are not changes.
 */
export function summariseChanges(result: ImportResult): string {
  if (result.kind === "onspd-postcodes") return summarisePostcodeImport(result);
  const conflicts = countChanges(result.changes, "conflict");
  const conflictNote =
    conflicts === 0
      ? ""
      : `; ${conflicts} conflict${conflicts === 1 ? "" : "s"} with staff-added data, staff data kept`;
  const changes = result.changes.filter((c) => c.type !== "conflict");
  if (changes.length === 0) return `0 changes (${result.unchanged} unchanged)${conflictNote}`;
  const entities = ["constituency", "hex", "party", "candidacy"] as const;
  const plural = { constituency: "constituencies", hex: "hexes", party: "parties", candidacy: "candidacies" };
  const parts: string[] = [];
  for (const entity of entities) {
    const of = changes.filter((c) => c.entity === entity);
    if (of.length === 0) continue;
    const counts = (["added", "updated", "withdrawn", "removed"] as const)
      .map((type) => [type, of.filter((c) => c.type === type).length] as const)
      .filter(([, n]) => n > 0)
      .map(([type, n]) => `${n} ${type}`);
    parts.push(`${plural[entity]}: ${counts.join(", ")}`);
  }
  return `${changes.length} changes (${parts.join("; ")}; ${result.unchanged} unchanged)${conflictNote}`;
}
