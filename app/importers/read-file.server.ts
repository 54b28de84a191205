import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse/sync";
import { ImportFailed } from "./problems";

export type SourceFile = {
  path: string;
  name: string;
  sha256: string;
  text: string;
};

/**
 * Reads a whole file as strict UTF-8. A file in another encoding (Excel's
 * Windows-1252 "CSV" is the usual culprit) is refused with the line of the
 * first bad byte, rather than imported with mangled names.
 */
export function readSourceFile(path: string): SourceFile {
  const name = basename(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportFailed([{ file: name, message: `cannot read the file (${reason})` }]);
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const line = bytes.subarray(0, offset).toString("latin1").split("\n").length;
    throw new ImportFailed([
      {
        file: name,
        line,
        message: `the file is not UTF-8 (byte 0x${bytes[offset]?.toString(16).padStart(2, "0")} at offset ${offset}); save it as UTF-8 and try again`,
      },
    ]);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") {
    throw new ImportFailed([{ file: name, message: "the file is empty" }]);
  }
  return { path, name, sha256, text: text.normalize("NFC") };
}

function firstInvalidUtf8Offset(bytes: Buffer): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // Binary search for the shortest prefix that fails to decode.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid + 1), { stream: true });
      lo = mid + 1;
    } catch {
      hi = mid;
    }
  }
  return lo;
}

export type CsvRow = { line: number; values: Record<string, string> };
export type CsvTable = { header: string[]; rows: CsvRow[] };

/** Parses CSV into rows keyed by header, each with the line it starts on. */
export function parseCsv(file: SourceFile): CsvTable {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(file.text, {
      info: true,
      relax_quotes: false,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    throw new ImportFailed([
      { file: file.name, line: e.lines, message: `the CSV is malformed: ${e.message ?? String(error)}` },
    ]);
  }
  const [first, ...rest] = records;
  if (!first) throw new ImportFailed([{ file: file.name, message: "the file is empty" }]);
  const header = first.record.map((h) => h.trim());
  let previousEnd = first.info.lines;
  const rows: CsvRow[] = rest.map(({ record, info }) => {
    const values: Record<string, string> = {};
    header.forEach((column, i) => {
      values[column] = record[i] ?? "";
    });
    // csv-parse reports the line a record ends on; a record starts on the line
    // after the previous one ended (statements can span several lines).
    const row = { line: previousEnd + 1, values };
    previousEnd = info.lines;
    return row;
  });
  return { header, rows };
}
