import { z } from "zod";
import type { CsvTable } from "./read-file.server";
import { ImportFailed, type Problem } from "./problems";
import type { OnRowsChecked } from "./types";

export type Parsed<T> = { line: number; data: T };

// Often enough for a progress bar to move, rarely enough to cost nothing.
const progressEvery = 250;

/** Fails with one problem per missing column, naming the file. */
export function requireColumns(fileName: string, table: CsvTable, columns: readonly string[]) {
  const missing = columns.filter((c) => !table.header.includes(c));
  if (missing.length === 0) return;
  throw new ImportFailed(
    missing.map((column) => ({
      file: fileName,
      line: 1,
      column,
      message: `the header has no "${column}" column (found: ${table.header.join(", ")})`,
    })),
  );
}

/**
 * Validates every row with zod, collecting a problem per bad field (with its
 * line and column) instead of stopping at the first, so one run shows what to fix.
 */
export function parseRows<S extends z.ZodType>(
  fileName: string,
  table: CsvTable,
  schema: S,
  problems: Problem[],
  onRowsChecked: OnRowsChecked = () => {},
): Parsed<z.output<S>>[] {
  const parsed: Parsed<z.output<S>>[] = [];
  for (const [i, row] of table.rows.entries()) {
    if (i % progressEvery === 0 && i > 0) onRowsChecked(i);
    const result = schema.safeParse(row.values);
    if (result.success) {
      parsed.push({ line: row.line, data: result.data });
      continue;
    }
    for (const issue of result.error.issues) {
      const column = typeof issue.path[0] === "string" ? issue.path[0] : undefined;
      const value = column === undefined ? undefined : row.values[column];
      problems.push({
        file: fileName,
        line: row.line,
        column,
        message: value === undefined || value === "" ? issue.message : `${issue.message} (got "${truncate(value)}")`,
      });
    }
  }
  onRowsChecked(table.rows.length);
  return parsed;
}

/** Reports each repeated key with the line it first appeared on. */
export function findDuplicates<T>(
  fileName: string,
  rows: Parsed<T>[],
  column: string,
  keyOf: (row: T) => string,
  problems: Problem[],
) {
  const seen = new Map<string, number>();
  for (const row of rows) {
    const key = keyOf(row.data);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, row.line);
    else
      problems.push({
        file: fileName,
        line: row.line,
        column,
        message: `duplicate "${key}" (first seen on line ${first})`,
      });
  }
}

/** A value as a problem message shows it: cut to `max` characters, control and format characters spelled out. */
export function truncate(value: string, max = 60) {
  // Shown in a terminal: a bidi override or invisible character in the value
  // would garble the message itself, so such characters are spelled out.
  const shown = value.replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase()}}`);
  return shown.length > max ? `${shown.slice(0, max - 3)}…` : shown;
}

export function nationOfGssCode(code: string) {
  const prefix = code[0];
  if (prefix === "E") return "England" as const;
  if (prefix === "S") return "Scotland" as const;
  if (prefix === "W") return "Wales" as const;
  return "Northern Ireland" as const;
}

/** Missing columns and empty strings become null, so "no value" has one representation. */
export function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (v) => (v === undefined || (typeof v === "string" && v.trim() === "") ? null : v),
    schema.nullable(),
  );
}
