// npm run import -- [--kind KIND] [--dry-run] [--confirm-withdrawals] [--replace-staff-emails] FILE [FILE …]
// Imports constituency, candidate, HexJSON and ONS Postcode Directory files; see README.md.
import { importKinds, type ImportKind } from "#db/enums";
import { formatChange } from "~/importers/plan";
import type { ImportResult } from "~/importers/types";
import type { PostcodeImportProgress } from "~/importers/postcodes.server";
import { ImportFailed, WithdrawalsNotConfirmed, formatProblems, formatWithdrawal } from "~/importers/problems";
import { parseCommandLine } from "./command-line";

const usage = `Usage: npm run import -- [--kind KIND] [--dry-run] [--confirm-withdrawals] [--replace-staff-emails] FILE [FILE …]
Kinds: ${importKinds.join(", ")} (detected from the header when not given)
  --dry-run               check and list every change, write nothing
  --confirm-withdrawals   allow a candidates file to mark people it no longer lists as withdrawn
  --replace-staff-emails  let a candidates file's email replace one staff added in the console
                          (without it the staff-added address is kept and listed as a conflict)
  -h, --help              show this help
Exit status: 0 imported; 1 bad input; 2 bad arguments; 3 would withdraw candidates (see --confirm-withdrawals)`;

async function main() {
  const args = parseCommandLine({
    command: "npm run import",
    usage,
    config: {
      allowPositionals: true,
      options: {
        kind: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        "confirm-withdrawals": { type: "boolean", default: false },
        "replace-staff-emails": { type: "boolean", default: false },
      },
    },
  });
  if ("exitCode" in args) return args.exitCode;
  const { values, positionals } = args;
  if (positionals.length === 0) {
    console.error(usage);
    return 2;
  }
  if (values.kind && !importKinds.includes(values.kind as ImportKind)) {
    console.error(`Unknown --kind "${values.kind}".\n${usage}`);
    return 2;
  }
  // Only now the app (which opens the database): help and bad arguments need neither.
  const { migrateDb } = await import("#db/index");
  const { db } = await import("~/utils/db.server");
  const { runImport, summariseChanges } = await import("~/importers/import.server");
  const { looksLikePostcodeDirectory, runPostcodeImport } = await import("~/importers/postcodes.server");
  await migrateDb(db);
  for (const path of positionals) {
    try {
      const kind =
        (values.kind as ImportKind | undefined) ??
        (looksLikePostcodeDirectory({ path }) ? "onspd-postcodes" : undefined);
      // The postcode directory is too big to read whole: it streams, so it is awaited.
      const result =
        kind === "onspd-postcodes"
          ? await runPostcodeImport({ path, dryRun: values["dry-run"], onProgress: printPostcodeProgress(path) })
          : await runImport({
              path,
              kind: values.kind as ImportKind | undefined,
              dryRun: values["dry-run"],
              confirmWithdrawals: values["confirm-withdrawals"],
              replaceStaffEmails: values["replace-staff-emails"],
              onProgress: ({ phase, rows }) => {
                if (phase === "checking" && rows !== undefined && rows >= 1000) {
                  process.stderr.write(`${path}: checking ${rows.toLocaleString("en-GB")} rows…\n`);
                }
                if (phase === "writing" && rows !== undefined && rows >= 1000) {
                  process.stderr.write(`${path}: writing ${rows.toLocaleString("en-GB")} changes…\n`);
                }
              },
            });
      report(path, result, summariseChanges);
    } catch (error) {
      if (error instanceof WithdrawalsNotConfirmed) {
        const n = error.withdrawals.length;
        console.error(
          `${path}: not imported; the database is unchanged. It would mark ${n} candidate${n === 1 ? "" : "s"} as withdrawn, ` +
            `because the file no longer lists them in a constituency it covers (person_id name, party, constituency):`,
        );
        for (const w of error.withdrawals) console.error(`  ${formatWithdrawal(w)}`);
        console.error(
          "A cut-off or partial export does this too. If these people really have stood down, run the same command again with --confirm-withdrawals.",
        );
        return 3;
      }
      if (!(error instanceof ImportFailed)) throw error;
      const n = error.problems.length;
      console.error(`${path}: not imported; the database is unchanged. ${n} problem${n === 1 ? "" : "s"}:`);
      console.error(formatProblems(error.problems));
      return 1;
    }
  }
  return 0;
}

function report(path: string, result: ImportResult, summariseChanges: (result: ImportResult) => string) {
  const prefix = result.dryRun ? "dry run, nothing written" : "imported";
  console.log(
    `${path} (${result.kind}, ${result.rows} rows, sha256 ${result.sha256.slice(0, 12)}…): ${prefix}: ${summariseChanges(result)}`,
  );
  if (!result.dryRun) {
    // Withdrawals were confirmed: say who, so the log shows it; and which
    // staff-added data the file disagreed with, since it was kept.
    for (const change of result.changes) {
      if (change.withdrawal) console.log(`  withdrawn ${formatWithdrawal(change.withdrawal)}`);
      if (change.type === "conflict") for (const line of formatChange(change)) console.log(line);
    }
    if (result.changes.some((c) => c.type === "conflict"))
      console.log("  (--replace-staff-emails lets the file's addresses replace these)");
    return;
  }
  for (const change of result.changes) for (const line of formatChange(change)) console.log(line);
  if (result.withdrawn > 0) console.log("  (importing this file for real needs --confirm-withdrawals)");
  if (result.changes.some((c) => c.type === "conflict"))
    console.log("  (--replace-staff-emails lets the file's addresses replace the staff-added ones)");
}

function printPostcodeProgress(path: string) {
  const mb = (bytes: number) => `${Math.round(bytes / 1e6).toLocaleString("en-GB")} MB`;
  return (progress: PostcodeImportProgress) => {
    // As for the other kinds: a small file needs no progress report.
    if (progress.rows < 1000) return;
    const rows = progress.rows.toLocaleString("en-GB");
    if (progress.phase === "reading") {
      const percent = progress.totalBytes > 0 ? Math.floor((100 * progress.bytes) / progress.totalBytes) : 100;
      process.stderr.write(
        `${path}: checked ${rows} rows (${mb(progress.bytes)} of ${mb(progress.totalBytes)}, ${percent}%)…\n`,
      );
    }
    if (progress.phase === "comparing")
      process.stderr.write(`${path}: comparing ${rows} postcodes with the database…\n`);
    if (progress.phase === "writing") {
      process.stderr.write(`${path}: writing ${progress.changes.toLocaleString("en-GB")} changes…\n`);
    }
  };
}

process.exitCode = await main();
