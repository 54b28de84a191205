// `npm run db:copy` on a whole election (issue 14): the real 2024 election
// when ../shared/realdata is present (650 seats, 4,515 candidates, the
// postcode sample), else the sample in data/, copied from a fresh SQLite file
// into a throwaway PostgreSQL cluster, timed as a person runs it (the whole
// command), with each table's count and checksum compared by the copy itself.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadRealElection, runScript } from "./real-election";
import { findPostgresBin, postgresMissing, startPostgresCluster } from "../postgres-cluster";

export type DbCopyFigures =
  { data: "real" | "sample"; tables: number; rows: number; seconds: number } | { skipped: string };

export async function benchDbCopy(): Promise<DbCopyFigures> {
  if (!findPostgresBin()) return { skipped: postgresMissing };
  const dir = mkdtempSync(join(tmpdir(), "pledge-bench-copy-"));
  const databasePath = join(dir, "campaign.sqlite");
  const useReal = loadRealElection(databasePath, { postcodes: true });
  if (!useReal) runScript(databasePath, ["scripts/setup.ts"]);

  const cluster = await startPostgresCluster();
  try {
    const started = performance.now();
    const out = runScript(databasePath, ["scripts/db-copy.ts", "--to", cluster.url]);
    const seconds = (performance.now() - started) / 1000;
    const summary = /: (\d+) tables, ([\d,]+) rows, each table's count and checksum the same on both\./.exec(out);
    if (!summary) throw new Error(`npm run db:copy did not say what it copied:\n${out}`);
    return {
      data: useReal ? "real" : "sample",
      tables: Number(summary[1]),
      rows: Number(summary[2]!.replace(/,/g, "")),
      seconds,
    };
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatDbCopyBench(f: DbCopyFigures): string {
  if ("skipped" in f) return `Not run: ${f.skipped}`;
  return [
    `Data: ${f.data === "real" ? "the real 2024 election (650 seats, 4,515 candidates, 298 postcodes)" : "the sample election in data/"}, imported into a fresh SQLite file; a throwaway PostgreSQL cluster on 127.0.0.1.`,
    "",
    "| tables | rows | whole command (s) | every table's count and checksum |",
    "|--:|--:|--:|---|",
    `| ${f.tables} | ${f.rows.toLocaleString("en-GB")} | ${f.seconds.toFixed(1)} | the same on both |`,
  ].join("\n");
}
