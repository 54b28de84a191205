import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "csv-parse/sync";
import { sha256Hex } from "~/utils/tokens.server";
import { ImportFailed } from "./problems";

export type SourceFile = {
  path: string;
  name: string;
  sha256: string;
  text: string;
};

/**
 * Reads a whole file as strict UTF-8. A file in another encoding (Excel's
 * Windows-1252 "CSV" is the usual culprit) is refused with the line and
 * column of the first bad byte, rather than imported with mangled names.
 * `name` is what problems call the file (and a HexJSON layout is named
 * after): a stored upload's own name is its hash, not what staff uploaded.
 */
export function readSourceFile(path: string, name = basename(path)): SourceFile {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ImportFailed([{ file: name, message: `cannot read the file (${reason})` }]);
  }
  const sha256 = sha256Hex(bytes);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Only to say where: the checker throws, naming the first bad byte.
    const checker = createUtf8Checker(name);
    checker.check(bytes);
    checker.end();
    throw new Error(`${name} is not UTF-8`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === "") {
    throw new ImportFailed([{ file: name, message: "the file is empty" }]);
  }
  return { path, name, sha256, text: text.normalize("NFC") };
}

/**
 * Checks bytes are strict UTF-8 as they arrive, chunk by chunk (the postcode
 * directory streams 1.3 GB; a whole file is one chunk), and throws
 * ImportFailed naming the first bad byte's line, column (byte in its line,
 * from 1) and offset in the file. Without it, Node's decoder would quietly
 * turn Windows-1252's "é" into U+FFFD and the import would store a mangled
 * name. A UTF-8 byte-order mark is valid UTF-8 and passes.
 */
export function createUtf8Checker(fileName: string) {
  // A character cut by a chunk's end, kept so a failure in the next chunk can
  // still point at its first byte.
  let carry: Buffer = Buffer.alloc(0);
  let offset = 0; // of `carry`'s first byte in the file
  let line = 1;
  let lineStart = 0; // offset of the current line's first byte

  function countLines(bytes: Buffer, start: number, before: number) {
    for (let i = bytes.indexOf(0x0a); i !== -1 && start + i < before; i = bytes.indexOf(0x0a, i + 1)) {
      line++;
      lineStart = start + i + 1;
    }
  }

  function fail(bytes: Buffer, start: number): never {
    const at = start + firstInvalidUtf8Offset(bytes);
    countLines(bytes, start, at);
    const byte = bytes[at - start] ?? 0;
    throw new ImportFailed([
      {
        file: fileName,
        line,
        message: `the file is not UTF-8: byte 0x${byte.toString(16).padStart(2, "0")} at column ${at - lineStart + 1} of the line (offset ${at} in the file); save it as UTF-8 and try again`,
      },
    ]);
  }

  return {
    check(chunk: Uint8Array) {
      const bytes =
        carry.length > 0 ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
      // A character cut by the chunk's end waits for the next chunk; the rest
      // is checked without decoding it (csv-parse decodes it once, later).
      const done = bytes.length - incompleteTail(bytes);
      if (!isUtf8(bytes.subarray(0, done))) fail(bytes, offset);
      countLines(bytes, offset, offset + done);
      carry = Buffer.from(bytes.subarray(done));
      offset += done;
    },
    end() {
      // The file ended inside a character.
      if (carry.length > 0) fail(carry, offset);
    },
  };
}

/**
 * The offset of the first byte that does not begin a valid UTF-8 sequence. A
 * linear scan, because a streaming decoder only fails on the byte *after* a
 * broken sequence (the comma after Windows-1252's lone 0xE9 "é"), which would
 * point the reader at the wrong character.
 */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  // A sequence cut off by the end of the bytes is invalid at its lead byte.
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

/** How many bytes at the end begin a character that the bytes do not finish. */
function incompleteTail(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back]!;
    if ((b & 0xc0) === 0x80) continue;
    const [length] = utf8Lead(b);
    return length > back ? back : 0;
  }
  return 0;
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

/** Shared with the streaming postcode import, which meets the same cut-off files. */
export const unclosedQuote =
  "a quoted value in the record starting on this line is never closed: the file looks cut short (an interrupted download?), or has a stray quote";

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
  if (!file.text.endsWith("\n")) throw cutShort(file.name, file.text.split("\n").length);
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(file.text, {
      info: true,
      relax_quotes: false,
      skip_empty_lines: true,
    }) as unknown as { record: string[]; info: { bytes: number } }[];
  } catch (error) {
    const e = error as { code?: string; message?: string; bytes?: number };
    if (e.code === "CSV_QUOTE_NOT_CLOSED") {
      // Here it reports an offset inside the last record, before any line break in it.
      const at = e.bytes === undefined ? undefined : lineAt(e.bytes);
      throw new ImportFailed([{ file: file.name, line: at, message: unclosedQuote }]);
    }
    // The error comes at the end of the bad record, after its line break.
    const at = e.bytes === undefined ? undefined : lineAt(Math.max(e.bytes - 1, 0));
    const reason = (e.message ?? String(error)).replace(/ (on|at) line \d+$/, "");
    throw new ImportFailed([{ file: file.name, line: at, message: `the CSV is malformed: ${reason}` }]);
  }
  const [first, ...rest] = records;
  if (!first) throw new ImportFailed([{ file: file.name, message: "the file is empty" }]);
  const header = first.record.map((h) => h.trim());
  refuseRepeatedColumns(file.name, header);
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

/**
 * Every CSV we import ends its last record with a line break (all of
 * ../shared/realdata's files do, LF or CRLF). A file that does not was most
 * likely cut off in its last record, by an interrupted download or a full
 * disk: imported, it would store the cut value, and a candidates file would
 * withdraw everyone cut off after it. (An unclosed quote is refused by the
 * parser itself.)
 */
export function cutShort(fileName: string, line: number) {
  return new ImportFailed([
    {
      file: fileName,
      line,
      message:
        "the file ends in the middle of a line, with no line break after the last record: it looks cut short (an interrupted download?). " +
        "Download it again; if it really is complete, add a line break at the end",
    },
  ]);
}

/**
 * Rows are read by column name, so a name used twice would silently take the
 * last column's value: refuse it, naming every position (from 1) it is in.
 */
export function refuseRepeatedColumns(fileName: string, header: readonly string[]) {
  const positions = new Map<string, number[]>();
  header.forEach((column, i) => positions.set(column, [...(positions.get(column) ?? []), i + 1]));
  const problems = [...positions]
    .filter(([, at]) => at.length > 1)
    .map(([column, at]) => ({
      file: fileName,
      line: 1,
      column,
      message: `the header names this column ${at.length} times, at positions ${at.slice(0, -1).join(", ")} and ${at.at(-1)}; each column needs its own name`,
    }));
  if (problems.length > 0) throw new ImportFailed(problems);
}
