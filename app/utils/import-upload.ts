// What the staff console's import page accepts. Client-safe (no server
// imports): the page's form lists the kinds and states the size limit, and
// the server enforces the same values.
import type { ImportKind } from "#db/enums";

/** The largest file the page takes. The 1.3 GB postcode directory stays on the command line. */
export const uploadLimitBytes = 20 * 1024 * 1024;

/** The kinds a browser upload may be, in the order the form lists them. */
export const uploadableImportKinds = [
  "ons-constituencies",
  "hoc-constituencies",
  "dc-candidates",
  "oi-candidates",
  "hexjson",
] as const satisfies readonly ImportKind[];
export type UploadableImportKind = (typeof uploadableImportKinds)[number];

export const importKindLabels: Record<ImportKind, string> = {
  "ons-constituencies": "ONS constituency names and codes",
  "hoc-constituencies": "House of Commons Library results by constituency",
  "dc-candidates": "Democracy Club candidates",
  "oi-candidates": "Open Innovations candidates",
  hexjson: "HexJSON map layout",
  "onspd-postcodes": "ONS Postcode Directory",
};

/** Why a second import cannot start yet: one runs at a time. */
export function runningImportMessage(running: { action: "check" | "apply"; fileName: string; startedBy: string }) {
  const what = running.action === "check" ? "a dry run" : "an import";
  return `Another import is running (${what} of ${running.fileName}, started by ${running.startedBy}). Wait for it to finish, then try again`;
}
