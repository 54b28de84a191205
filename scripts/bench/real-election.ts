// The real 2024 election's files, which live beside the repository in
// ../shared/realdata, never in it (see its README). The benchmarks run on
// them when they are there.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const realDataDir = join(dirname(fileURLToPath(import.meta.url)), "../../../shared/realdata");

// Constituencies first: hexes and candidates point at them.
export const realFileNames = [
  "HoC-GE2024-results-by-constituency.csv",
  "ons-pcon24-names-and-codes-uk-v2.csv",
  "oi-uk-constituencies-2024.hexjson",
  "oi-ge2024-candidates.csv",
] as const;

export const realPostcodeFileName = "onspd-sample-postcodes-pcon24.csv";

/** The files' paths in import order, or null when any is missing. */
export function realElectionPaths({ postcodes = false }: { postcodes?: boolean } = {}): string[] | null {
  const names = postcodes ? [...realFileNames, realPostcodeFileName] : [...realFileNames];
  const paths = names.map((name) => join(realDataDir, name));
  return paths.every((path) => existsSync(path)) ? paths : null;
}

const repo = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** Runs one of the repository's scripts on this database as npm run does: its output, or an error with what it said. */
export function runScript(databasePath: string, args: string[]): string {
  const run = spawnSync(process.execPath, ["--import", "tsx", ...args], {
    cwd: repo,
    env: { ...process.env, DATABASE_PATH: databasePath },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`${args.join(" ")} failed:\n${run.stderr}`);
  return run.stdout;
}

/** Loads the campaign in data/ and the real election into this database; false, loading nothing, when a file is missing. */
export function loadRealElection(databasePath: string, options: { postcodes?: boolean } = {}): boolean {
  const paths = realElectionPaths(options);
  if (!paths) return false;
  runScript(databasePath, ["scripts/campaign.ts", join(repo, "data/campaign.json")]);
  runScript(databasePath, ["scripts/import.ts", ...paths]);
  return true;
}
