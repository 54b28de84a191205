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

/** While checking, `rows` is the file's row count and `done` how many of them have been checked. */
export type Progress = { phase: "reading" | "checking" | "writing" | "done"; rows?: number; done?: number };

/** Told, every few hundred rows and at the end, how many of a file's rows have been checked. */
export type OnRowsChecked = (done: number) => void;
