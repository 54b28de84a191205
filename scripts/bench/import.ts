// The import benchmark (issue 2): the whole import of the four 2024 files
// against a raw better-sqlite3 insert of the same rows. Target: within 2x.
import { fork } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeGeneratedElection } from "./generate-election";
import { realDataDir, realFileNames } from "./real-election";
import type { RepetitionFigures } from "./import-repetition";

const repetitionScript = fileURLToPath(new URL("./import-repetition.ts", import.meta.url));
export const importTarget = 2;

type Spread = { medianMs: number; minMs: number };

export type ImportBenchFigures = {
  data: "real" | "generated";
  /** Where the files came from, or why they were generated. */
  dataSource: string;
  repetitions: number;
  files: {
    name: string;
    bytes: number;
    kind: string;
    rows: number;
    changes: number;
    secondChanges: number;
    firstMs: number;
    secondMs: number;
  }[];
  /** Rows read from the files. */
  rows: number;
  /** Rows the import left in the database, which the raw insert writes again. */
  rawRows: number;
  rawTables: { table: string; rows: number }[];
  wholeImport: Spread;
  secondImport: Spread;
  warmImport: Spread;
  rawInsert: Spread;
  /** Median whole import over median raw insert. */
  ratio: number;
  pass: boolean;
};

export async function benchImport({
  repetitions = 5,
  generated = false,
}: { repetitions?: number; generated?: boolean } = {}): Promise<ImportBenchFigures> {
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-import-"));
  try {
    const missing = realFileNames.filter((name) => !existsSync(join(realDataDir, name)));
    const useReal = !generated && missing.length === 0;
    const dataSource = useReal
      ? `real files from ${realDataDir}`
      : generated
        ? "--generated was given"
        : `${realDataDir} lacks ${missing.join(", ")}`;
    const paths = useReal ? realFileNames.map((name) => join(realDataDir, name)) : writeGeneratedElection({ dir });
    const runs: RepetitionFigures[] = [];
    for (let i = 0; i < repetitions; i++) {
      const importDb = join(dir, `import-${i}.sqlite`);
      runs.push(await runRepetition({ paths, importDb, rawDb: join(dir, `raw-${i}.sqlite`) }));
    }
    const first = runs[0]!;
    const files = paths.map((path, f) => ({
      name: basename(path),
      bytes: statSync(path).size,
      kind: first.firstImport[f]!.kind,
      rows: first.firstImport[f]!.rows,
      changes: first.firstImport[f]!.changes,
      secondChanges: first.secondImport[f]!.changes,
      firstMs: median(runs.map((run) => run.firstImport[f]!.ms)),
      secondMs: median(runs.map((run) => run.secondImport[f]!.ms)),
    }));
    const total = (figures: { ms: number }[]) => figures.reduce((sum, f) => sum + f.ms, 0);
    const wholeImport = spread(runs.map((run) => total(run.firstImport)));
    const rawInsert = spread(runs.map((run) => run.rawInsert.ms));
    const ratio = wholeImport.medianMs / rawInsert.medianMs;
    return {
      data: useReal ? "real" : "generated",
      dataSource,
      repetitions,
      files,
      rows: files.reduce((sum, f) => sum + f.rows, 0),
      rawRows: first.rawInsert.tables.reduce((sum, t) => sum + t.rows, 0),
      rawTables: first.rawInsert.tables,
      wholeImport,
      secondImport: spread(runs.map((run) => total(run.secondImport))),
      warmImport: spread(runs.map((run) => total(run.warmImport))),
      rawInsert,
      ratio,
      pass: ratio <= importTarget,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runRepetition({ paths, importDb, rawDb }: { paths: readonly string[]; importDb: string; rawDb: string }) {
  return new Promise<RepetitionFigures>((resolve, reject) => {
    let figures: RepetitionFigures | undefined;
    // process.execArgv carries tsx's loader, so the child runs TypeScript too.
    const child = fork(repetitionScript, [rawDb, ...paths], {
      env: { ...process.env, DATABASE_PATH: importDb },
      execArgv: process.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    child.on("message", (message) => {
      figures = message as RepetitionFigures;
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (figures && code === 0) resolve(figures);
      else reject(new Error(`import benchmark repetition failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

function spread(values: number[]): Spread {
  return { medianMs: median(values), minMs: Math.min(...values) };
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ms = (value: number) => value.toFixed(1);
const count = (value: number) => value.toLocaleString("en-GB");

/** The figures as Markdown, ready to paste into docs/benchmarks.md. */
export function formatImportBench(f: ImportBenchFigures): string {
  const source =
    f.data === "real"
      ? f.dataSource
      : `GENERATED files, seeded stand-ins with the shape and size of the real ones (${f.dataSource})`;
  return [
    `Data: ${source}. ${f.repetitions} repetitions, each in a fresh process on fresh SQLite files ` +
      "(WAL, synchronous=FULL, foreign keys on).",
    "",
    "| file | kind | bytes | rows | first import ms (median) | changes | second import ms (median) | changes |",
    "|---|---|--:|--:|--:|--:|--:|--:|",
    ...f.files.map(
      (file) =>
        `| ${file.name} | ${file.kind} | ${count(file.bytes)} | ${count(file.rows)} | ${ms(file.firstMs)} | ${count(file.changes)} | ${ms(file.secondMs)} | ${count(file.secondChanges)} |`,
    ),
    "",
    "| measure | rows | median ms | min ms |",
    "|---|--:|--:|--:|",
    `| whole import (4 files: read, parse, validate, diff, write) | ${count(f.rows)} | ${ms(f.wholeImport.medianMs)} | ${ms(f.wholeImport.minMs)} |`,
    `| raw insert (prepared INSERTs, one transaction) | ${count(f.rawRows)} | ${ms(f.rawInsert.medianMs)} | ${ms(f.rawInsert.minMs)} |`,
    `| second import of the same files (0 changes expected) | ${count(f.rows)} | ${ms(f.secondImport.medianMs)} | ${ms(f.secondImport.minMs)} |`,
    `| whole import again, warmed up (same process, emptied tables) | ${count(f.rows)} | ${ms(f.warmImport.medianMs)} | ${ms(f.warmImport.minMs)} |`,
    "",
    `Ratio whole import / raw insert (medians): ${f.ratio.toFixed(2)}x, target ≤ ${importTarget}x: ${f.pass ? "PASS" : "FAIL"}`,
    `(Warmed up: ${(f.warmImport.medianMs / f.rawInsert.medianMs).toFixed(2)}x.)`,
    `Raw insert rows by table: ${f.rawTables.map((t) => `${t.table} ${count(t.rows)}`).join(", ")}.`,
  ].join("\n");
}
