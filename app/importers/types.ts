// What every import returns and reports as it goes: shared by the general
// importer and the postcode importer without either importing the other.
import type { ImportKind } from "#db/enums";
import type { Change } from "./plan";

export type ImportResult = {
  kind: ImportKind;
  file: string;
  sha256: string;
  dryRun: boolean;
  rows: number;
  added: number;
  updated: number;
  withdrawn: number;
  removed: number;
  unchanged: number;
  changes: Change[];
};

export type Progress = { phase: "reading" | "checking" | "writing" | "done"; rows?: number };
