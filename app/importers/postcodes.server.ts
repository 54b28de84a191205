// The ONS Postcode Directory (ONSPD) importer: postcode → 2024 constituency.
//
// The full directory is about 2.7 million rows and 1.3 GB in 52 columns, so it
// is streamed, never read whole. The web server shares the database: with the
// synchronous driver, a request that writes waits for the import's write lock
// inside its event loop (busy_timeout), so every page would stall while one
// long transaction wrote millions of rows. So the import never holds the
// write lock for more than one short batch:
//   1. claim the next generation (one short transaction), so no second import
//      mixes its rows in, and delete what an import that died left behind;
//   2. stream: check each row and stage the good ones in a TEMP table, private
//      to this import's connection (the main database is not locked);
//   3. if no row had a problem, work out the difference from the current
//      directory (reads only), and write it under the new generation in short
//      transactions, pausing between them so the site's writes get their turn.
//      Lookups do not see these rows yet;
//   4. publish: one short transaction moves postcode_directory to the new
//      generation and records the import_runs row. Lookups see the whole new
//      directory from then on, never half of it;
//   5. delete the rows no lookup can read any more, in short steps.
// A bad row, a failure or a kill before step 4 leaves the old directory
// serving; the next import cleans up. Re-importing a quarterly update writes
// only the rows that changed.
import { createHash } from "node:crypto";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { basename } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import { parse as parseSync } from "csv-parse/sync";
import { recordImportRun } from "~/models/import-run.server";
import {
  claimPostcodeImport,
  deleteUnpublishedPostcodes,
  findLastPostcodeImportId,
  findPostcodeGeneration,
  openPostcodeStaging,
  publishPostcodeGeneration,
  releasePostcodeImport,
  type PostcodeImportClaim,
  type PostcodeImportHolder,
  type PostcodeStaging,
  type StagedPostcode,
} from "~/models/postcode.server";
import { normalisePostcode } from "~/utils/postcode";
import {
  createUtf8Checker,
  cutShort,
  refuseRepeatedColumns,
  unclosedQuote,
  type CsvTable,
  type SourceFile,
} from "./read-file.server";
import { ImportFailed, type Problem } from "./problems";
import { truncate } from "./rows.server";
import type { ImportResult, Progress } from "./types";

/** The columns used; the directory's other 49 are ignored. */
export const onspdColumns = ["pcds", "pcon", "doterm"] as const;

export type PostcodeImportProgress =
  | { phase: "reading"; rows: number; bytes: number; totalBytes: number }
  /** Working out the difference from the table, before taking the write lock. */
  | { phase: "comparing"; rows: number }
  /** Writing the new generation, in short transactions, then publishing it and cleaning up. */
  | { phase: "writing"; rows: number; changes: number }
  | { phase: "done"; rows: number };

// A file that is wrong throughout (the wrong export, a shifted column) would
// otherwise produce millions of problems: stop and show the first ones.
const maxProblems = 1000;
const batchSize = 10_000;
// Rows written a transaction: a few milliseconds of the write lock each.
const defaultWriteBatchRows = 2_000;

const gssCodeShape = /^[A-Z]\d{8}$/;
const yearMonth = /^(\d{4})(0[1-9]|1[0-2])$/;

/**
 * Imports a whole ONS Postcode Directory CSV, streamed. It replaces the
 * postcode table (the directory is a complete snapshot), or with `dryRun`
 * only reports what would change. Throws ImportFailed, having written
 * nothing, when any row is bad.
 */
export async function runPostcodeImport({
  path,
  dryRun = false,
  now = () => new Date(),
  onProgress = () => {},
  progressEvery = 100_000,
  writeBatchRows = defaultWriteBatchRows,
}: {
  path: string;
  dryRun?: boolean;
  now?: () => Date;
  onProgress?: (progress: PostcodeImportProgress) => void | Promise<void>;
  progressEvery?: number;
  /** Rows a write transaction (the benchmark and tests change it). */
  writeBatchRows?: number;
}): Promise<ImportResult> {
  const startedAt = now();
  const fileName = basename(path);
  const totalBytes = fileSize(path, fileName);
  const hash = createHash("sha256");
  let bytes = 0;
  let lastByte: number | undefined;
  const utf8 = createUtf8Checker(fileName);
  // Hashes and checks the bytes on their way to the parser, so the file is
  // read once. csv-parse would decode bad UTF-8 to U+FFFD without a word.
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        utf8.check(chunk);
      } catch (error) {
        callback(error as Error);
        return;
      }
      hash.update(chunk);
      bytes += chunk.length;
      lastByte = chunk[chunk.length - 1];
      callback(null, chunk);
    },
    flush(callback) {
      try {
        utf8.end();
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });

  // Before anything is awaited: of two imports started at once in this
  // process, the first is the one that runs, whichever query returns first.
  const staging = await openPostcodeStaging();
  let claim: PostcodeImportClaim | null = null;
  try {
    const lastImportIdAtStart = await findLastPostcodeImportId();
    // A dry run writes nothing, so it needs no claim.
    if (!dryRun) {
      claim = await claimOrRefuse(fileName, now);
      await runSteps(deleteUnpublished(writeBatchRows));
    }
    let checker: ReturnType<typeof createRowChecker> | undefined;
    // Set when reading stops early: too many problems, or an error thrown
    // while checking. Leaving the loop aborts the pipeline, so an abort after
    // a stop is expected and the stored error (if any) is the real story.
    let stopped = false;
    let failure: unknown;
    // csv-parse's per-record `info` (which carries the line number) costs a
    // third of the parse time on 2.7 million rows, so lines are counted here:
    // one a record, plus any line breaks inside quoted values (ONSPD has none,
    // but a broken file might). Blank lines come through as one empty value.
    let line = 0;
    try {
      await pipeline(
        createReadStream(path, { highWaterMark: 1 << 20 }),
        hashing,
        parse({ bom: true, relax_column_count: true, skip_empty_lines: false }),
        async (records: AsyncIterable<string[]>) => {
          try {
            for await (const record of records) {
              line++;
              const startLine = line;
              for (const value of record) line += countLineBreaks(value);
              if (!checker) {
                checker = createRowChecker({ fileName, header: record.map((h) => h.trim()), staging });
                continue;
              }
              if (record.length === 1 && record[0] === "") continue;
              if (record.length !== checker.columns) {
                checker.problem({
                  line: startLine,
                  message: `the row has ${record.length} value${record.length === 1 ? "" : "s"} but the header has ${checker.columns}`,
                });
              } else {
                // Awaited only when a batch is staged: a promise a row would cost millions.
                const staging = checker.add(record, startLine);
                if (staging) await staging;
              }
              if (checker.tooManyProblems()) {
                stopped = true;
                break;
              }
              if (checker.rows % progressEvery === 0) {
                await onProgress({ phase: "reading", rows: checker.rows, bytes, totalBytes });
              }
            }
          } catch (error) {
            stopped = true;
            failure = error;
          }
        },
      );
    } catch (error) {
      if (!(stopped && (error as { code?: string }).code === "ABORT_ERR")) throw readError(error, fileName, line + 1);
    }
    if (failure !== undefined) throw readError(failure, fileName, line + 1);
    if (!checker) throw new ImportFailed([{ file: fileName, message: "the file is empty" }]);
    // Not after a stop: then the file was not read to its end.
    if (!stopped && lastByte !== 0x0a) throw cutShort(fileName, line);
    await checker.finish();
    await onProgress({ phase: "reading", rows: checker.rows, bytes, totalBytes });
    if (checker.problems.length > 0) throw new ImportFailed(checker.problems);
    await onProgress({ phase: "comparing", rows: checker.rows });
    const rows = checker.rows;
    const result = await runSteps(
      applyStaged({
        staging,
        claim,
        lastImportIdAtStart,
        onWriting: (changes) => onProgress({ phase: "writing", rows, changes }),
        fileName,
        sha256: hash.digest("hex"),
        startedAt,
        now,
        writeBatchRows,
      }),
    );
    await onProgress({ phase: "done", rows: checker.rows });
    return result;
  } finally {
    await staging.close();
    if (claim) await releasePostcodeImport(claim);
  }
}

/**
 * Runs an import's steps (each a short write transaction at most), pausing
 * after each as long as it took (up to 50 ms): an import that began its next
 * transaction at once would keep the lock from writers already waiting for
 * it, since SQLite's busy handler only retries every few milliseconds.
 */
async function runSteps<T>(steps: AsyncGenerator<void, T>): Promise<T> {
  for (;;) {
    const started = performance.now();
    const step = await steps.next();
    if (step.done) return step.value;
    await sleep(Math.min(50, Math.max(2, performance.now() - started)));
  }
}

/** The same steps without pauses, for the sample load inside its own transaction. */
async function runStepsNow<T>(steps: AsyncGenerator<void, T>): Promise<T> {
  for (;;) {
    const step = await steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same import for a file already read and parsed by runImport: the sample
 * election's few dozen postcodes, loaded synchronously inside the sample
 * load's own transaction. Never use it for the full directory.
 */
export async function importPostcodeTable({
  file,
  table,
  dryRun,
  startedAt,
  now,
  onProgress,
}: {
  file: SourceFile;
  table: CsvTable;
  dryRun: boolean;
  startedAt: Date;
  now: () => Date;
  onProgress: (progress: Progress) => void;
}): Promise<ImportResult> {
  const staging = await openPostcodeStaging();
  let claim: PostcodeImportClaim | null = null;
  try {
    const lastImportIdAtStart = await findLastPostcodeImportId();
    if (!dryRun) {
      claim = await claimOrRefuse(file.name, now);
      await runStepsNow(deleteUnpublished(defaultWriteBatchRows));
    }
    const checker = createRowChecker({ fileName: file.name, header: table.header, staging });
    onProgress({ phase: "checking", rows: table.rows.length });
    for (const row of table.rows) {
      await checker.add(
        table.header.map((column) => row.values[column] ?? ""),
        row.line,
      );
      if (checker.tooManyProblems()) break;
    }
    await checker.finish();
    if (checker.problems.length > 0) throw new ImportFailed(checker.problems);
    const result = await runStepsNow(
      applyStaged({
        staging,
        claim,
        lastImportIdAtStart,
        onWriting: (changes) => onProgress({ phase: "writing", rows: changes }),
        fileName: file.name,
        sha256: file.sha256,
        startedAt,
        now,
        writeBatchRows: defaultWriteBatchRows,
      }),
    );
    onProgress({ phase: "done" });
    return result;
  } finally {
    await staging.close();
    if (claim) await releasePostcodeImport(claim);
  }
}

/** Reads just the first line: is this an ONS Postcode Directory file? */
export function looksLikePostcodeDirectory({ path }: { path: string }): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buffer = Buffer.alloc(64 * 1024);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const firstLine = buffer.subarray(0, length).toString("utf8").split(/\r?\n/)[0] ?? "";
    const [header] = parseSync(firstLine, { bom: true, relax_column_count: true, relax_quotes: true }) as string[][];
    const columns = (header ?? []).map((h) => h.trim());
    return onspdColumns.every((c) => columns.includes(c));
  } catch {
    // Unreadable or not CSV: the ordinary import path reports it properly.
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** "12 changes (postcodes: 10 added, 2 removed; 298 unchanged)". */
export function summarisePostcodeImport(result: ImportResult): string {
  const counts = (["added", "updated", "removed"] as const)
    .map((type) => [type, result[type]] as const)
    .filter(([, n]) => n > 0);
  const changes = counts.reduce((sum, [, n]) => sum + n, 0);
  const unchanged = `${result.unchanged.toLocaleString("en-GB")} unchanged`;
  if (changes === 0) return `0 changes (${unchanged})`;
  const parts = counts.map(([type, n]) => `${n.toLocaleString("en-GB")} ${type}`).join(", ");
  return `${changes.toLocaleString("en-GB")} changes (postcodes: ${parts}; ${unchanged})`;
}

/**
 * Compares the staged rows with the directory and, unless it is a dry run (no
 * claim), writes the difference as a new generation batch by batch, publishes
 * it with its import_runs row, and deletes the rows it replaced. Yields after
 * each short write transaction.
 */
async function* applyStaged({
  staging,
  claim,
  lastImportIdAtStart,
  onWriting,
  fileName,
  sha256,
  startedAt,
  now,
  writeBatchRows,
}: {
  staging: PostcodeStaging;
  /** null: a dry run. */
  claim: PostcodeImportClaim | null;
  /** Another import must not have slipped in since this one started. */
  lastImportIdAtStart: number | null;
  onWriting: (changes: number) => void | Promise<void>;
  fileName: string;
  sha256: string;
  startedAt: Date;
  now: () => Date;
  writeBatchRows: number;
}): AsyncGenerator<void, ImportResult> {
  const differences = await staging.diff({ base: claim?.base ?? (await findPostcodeGeneration()) });
  if (differences.rows === 0) {
    // Replacing the directory with nothing would break every lookup: an
    // empty extract is a mistake, not a snapshot.
    throw new ImportFailed([{ file: fileName, message: "the file has a header but no postcodes" }]);
  }
  const result: ImportResult = {
    kind: "onspd-postcodes",
    file: fileName,
    sha256,
    dryRun: claim === null,
    ...differences,
    withdrawn: 0,
    // Per-row changes are not listed: there can be millions.
    changes: [],
  };
  if (!claim) return result;
  const changes = result.added + result.updated + result.removed;
  await onWriting(changes);
  for (let from = 0; from < changes; from += writeBatchRows) {
    await staging.writeBatch({ generation: claim.generation, from, limit: writeBatchRows });
    yield;
  }
  const published = await publishPostcodeGeneration({
    ...claim,
    now: now(),
    alsoWrite: async () => {
      if ((await findLastPostcodeImportId()) !== lastImportIdAtStart) return false;
      await recordImportRun({
        kind: result.kind,
        fileName,
        sha256,
        dryRun: false,
        rows: result.rows,
        added: result.added,
        updated: result.updated,
        withdrawn: 0,
        removed: result.removed,
        unchanged: result.unchanged,
        startedAt,
        finishedAt: now(),
      });
      return true;
    },
  });
  if (!published) {
    yield* deleteUnpublished(writeBatchRows);
    throw new ImportFailed([
      {
        file: fileName,
        message: "another postcode import finished while this one was running; nothing was written, so run it again",
      },
    ]);
  }
  yield* deleteSuperseded(staging, writeBatchRows);
  return result;
}

/** Deletes, in short steps, rows written above the current generation by imports that never published. */
async function* deleteUnpublished(limit: number): AsyncGenerator<void, void> {
  while ((await deleteUnpublishedPostcodes({ limit })) > 0) yield;
}

/** Deletes, in short steps, the rows no lookup can read any more. */
async function* deleteSuperseded(staging: PostcodeStaging, limit: number): AsyncGenerator<void, void> {
  // Through the staging: the list is a temporary table on its connection.
  const postcodes = await staging.findSuperseded();
  try {
    // Each postcode has a few rows at most: a batch of postcodes is about a batch of rows.
    for (let from = 0; from < postcodes; from += limit) {
      await staging.deleteSuperseded({ from, limit });
      yield;
    }
  } finally {
    await staging.dropSuperseded();
  }
}

/** Claims the next generation, taking over from an import that died; refuses while another runs. */
async function claimOrRefuse(fileName: string, now: () => Date): Promise<PostcodeImportClaim> {
  const claimed = await claimPostcodeImport({
    pid: process.pid,
    host: hostname(),
    now: now(),
    isAbandoned: (holder) => !isRunning(holder, now()),
  });
  if ("claim" in claimed) return claimed.claim;
  const { pid, host, startedAt } = claimed.heldBy;
  throw new ImportFailed([
    {
      file: fileName,
      message: `another postcode import is running (process ${pid} on ${host}, since ${startedAt}); nothing was written. Wait for it to finish, then run this one again`,
    },
  ]);
}

// A claim from another machine cannot be checked: it is trusted this long.
const foreignClaimHours = 12;

function isRunning(holder: PostcodeImportHolder, now: Date) {
  if (holder.host !== hostname()) return now.getTime() - Date.parse(holder.startedAt) < foreignClaimHours * 3_600_000;
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, run by another user.
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Checks rows, collects problems with their line and column, and stages good rows in batches. */
function createRowChecker({
  fileName,
  header,
  staging,
}: {
  fileName: string;
  header: string[];
  staging: PostcodeStaging;
}) {
  refuseRepeatedColumns(fileName, header);
  const missing = onspdColumns.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    const found = header.length > 12 ? `${header.slice(0, 12).join(", ")}, …` : header.join(", ");
    throw new ImportFailed(
      missing.map((column) => ({
        file: fileName,
        line: 1,
        column,
        message: `the header has no "${column}" column (found: ${found})`,
      })),
    );
  }
  const at = {
    pcds: header.indexOf("pcds"),
    pcon: header.indexOf("pcon"),
    doterm: header.indexOf("doterm"),
  };
  const problems: Problem[] = [];
  let rows = 0;
  let batch: StagedPostcode[] = [];
  let stopped = false;

  function problem(p: Omit<Problem, "file">) {
    problems.push({ file: fileName, ...p });
  }

  async function flush() {
    if (batch.length === 0) return;
    const staged = batch;
    batch = [];
    for (const duplicate of await staging.stage(staged)) {
      problem({
        line: duplicate.line,
        column: "pcds",
        message: `duplicate postcode "${duplicate.postcode}" (first seen on line ${duplicate.firstLine})`,
      });
    }
  }

  return {
    columns: header.length,
    problems,
    get rows() {
      return rows;
    },
    problem(p: Omit<Problem, "file">) {
      rows++;
      problem(p);
    },
    /** Checks a row and stages it; a promise only when a full batch is being staged, to await. */
    add(record: string[], line: number): Promise<void> | undefined {
      rows++;
      const pcds = (record[at.pcds] ?? "").trim();
      const pcon = (record[at.pcon] ?? "").trim();
      const doterm = (record[at.doterm] ?? "").trim();
      const postcode = normalisePostcode(pcds);
      let ok = true;
      if (!postcode) {
        ok = false;
        problem({
          line,
          column: "pcds",
          message:
            pcds === ""
              ? "a postcode is required"
              : `must be a full UK postcode such as SW1A 1AA (got "${truncate(pcds, 40)}")`,
        });
      }
      if (pcon !== "" && !gssCodeShape.test(pcon)) {
        ok = false;
        problem({
          line,
          column: "pcon",
          message: `must be empty or a 9-character GSS code such as E14001063 (got "${truncate(pcon, 40)}")`,
        });
      }
      const terminated = doterm === "" ? null : yearMonth.exec(doterm);
      if (doterm !== "" && !terminated) {
        ok = false;
        problem({
          line,
          column: "doterm",
          message: `must be empty or the year and month the postcode ended, as YYYYMM such as 201906 (got "${truncate(doterm, 40)}")`,
        });
      }
      if (!ok || !postcode) return undefined;
      batch.push({
        postcode,
        constituencyCode: pcon === "" ? null : pcon,
        // Stored as ISO 8601 year-month, "2019-06".
        terminatedOn: terminated ? `${terminated[1]}-${terminated[2]}` : null,
        line,
      });
      return batch.length >= batchSize ? flush() : undefined;
    },
    tooManyProblems() {
      if (stopped) return true;
      if (problems.length < maxProblems) return false;
      stopped = true;
      problem({
        message: `stopped checking after ${maxProblems.toLocaleString("en-GB")} problems; fix these and import again`,
      });
      return true;
    },
    finish() {
      // Rows still in the batch may be duplicates of earlier ones: stage them
      // even after a stop, so the report is complete up to where it stopped.
      return flush();
    },
  };
}

function countLineBreaks(value: string) {
  let n = 0;
  for (let i = value.indexOf("\n"); i !== -1; i = value.indexOf("\n", i + 1)) n++;
  return n;
}

function fileSize(path: string, fileName: string) {
  try {
    const size = statSync(path).size;
    if (size === 0) throw new ImportFailed([{ file: fileName, message: "the file is empty" }]);
    return size;
  } catch (error) {
    if (error instanceof ImportFailed) throw error;
    throw readError(error, fileName, 1);
  }
}

/** `nextLine`: where the record being parsed when it failed began. */
function readError(error: unknown, fileName: string, nextLine: number) {
  if (error instanceof ImportFailed) return error;
  const e = error as { code?: string; message?: string; lines?: number };
  if (e.code === "CSV_QUOTE_NOT_CLOSED")
    return new ImportFailed([{ file: fileName, line: nextLine, message: unclosedQuote }]);
  if (typeof e.code === "string" && e.code.startsWith("CSV_")) {
    return new ImportFailed([
      { file: fileName, line: e.lines, message: `the CSV is malformed: ${e.message ?? String(error)}` },
    ]);
  }
  if (typeof e.code === "string" && /^E[A-Z]+$/.test(e.code)) {
    return new ImportFailed([{ file: fileName, message: `cannot read the file (${e.message ?? e.code})` }]);
  }
  return error;
}
