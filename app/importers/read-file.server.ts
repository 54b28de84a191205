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

/**
 * The offset of the first byte that does not begin a valid UTF-8 sequence. A
 * linear scan, because a streaming decoder only fails on the byte *after* a
 * broken sequence (the comma after Windows-1252's lone 0xE9 "é"), which would
 * point the reader at the wrong character.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Each lead byte's length and allowed second byte (RFC 3629), which rules
    // out overlong forms and surrogates; later bytes are plain continuations.
    const [length, low, high] = utf8Lead(b);
    const second = bytes[i + 1];
    if (length === 0 || second === undefined || second < low || second > high) return i;
    for (let k = 2; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return i;
}

function utf8Lead(b: number): [length: number, low: number, high: number] {
  if (b >= 0xc2 && b <= 0xdf) return [2, 0x80, 0xbf];
  if (b === 0xe0) return [3, 0xa0, 0xbf];
  if (b === 0xed) return [3, 0x80, 0x9f];
  if (b >= 0xe1 && b <= 0xef) return [3, 0x80, 0xbf];
  if (b === 0xf0) return [4, 0x90, 0xbf];
  if (b >= 0xf1 && b <= 0xf3) return [4, 0x80, 0xbf];
  if (b === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}

export type CsvRow = { line: number; values: Record<string, string> };
export type CsvTable = { header: string[]; rows: CsvRow[] };

/** Parses CSV into rows keyed by header, each with the line it starts on. */
export function parseCsv(file: SourceFile): CsvTable {
  // csv-parse's own line count is not trusted: it counts a "\r\n" inside a
  // quoted field as two lines (Democracy Club statements have them), and a
  // skipped blank line shifts every later row. Lines are counted here instead,
  // from the byte offsets it reports.
  const bytes = Buffer.from(file.text, "utf8");
  let counted = 0;
  let line = 1;
  const lineAt = (offset: number) => {
    for (; counted < offset && counted < bytes.length; counted++) if (bytes[counted] === 0x0a) line++;
    return line;
  };
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(file.text, {
      info: true,
      relax_quotes: false,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    const e = error as { message?: string; bytes?: number };
    // The error comes at the end of the bad record, after its line break.
    const at = e.bytes === undefined ? undefined : lineAt(Math.max(e.bytes - 1, 0));
    const reason = (e.message ?? String(error)).replace(/ (on|at) line \d+$/, "");
    throw new ImportFailed([{ file: file.name, line: at, message: `the CSV is malformed: ${reason}` }]);
  }
  const [first, ...rest] = records;
  if (!first) throw new ImportFailed([{ file: file.name, message: "the file is empty" }]);
  const header = first.record.map((h) => h.trim());
  let previousEnd = first.info.bytes;
  const rows: CsvRow[] = rest.map(({ record, info }) => {
    const values: Record<string, string> = {};
    header.forEach((column, i) => {
      values[column] = record[i] ?? "";
    });
    // A record starts after the previous one ended and any blank lines skipped.
    let start = previousEnd;
    while (bytes[start] === 0x0a || bytes[start] === 0x0d) start++;
    const row = { line: lineAt(start), values };
    previousEnd = info.bytes;
    return row;
  });
  return { header, rows };
}
