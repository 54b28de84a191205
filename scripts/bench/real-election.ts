// The real 2024 election's files, which live beside the repository in
// ../shared/realdata, never in it (see its README). The benchmarks run on
// them when they are there.
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
