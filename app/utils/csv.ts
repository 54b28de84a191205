// Writing CSV for the open data: RFC 4180, so any parser reads it back, and
// safe to open in a spreadsheet.

export type CsvValue = string | number | null | undefined;

// Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that begins with
// one of these as a formula, so a candidate's statement such as
// `=HYPERLINK("http://evil.example","click")` would become a live link or
// worse in the reader's spreadsheet (OWASP "CSV injection"). A leading `'`
// makes the spreadsheet show the text as typed and makes the cell inert;
// /data tells readers that such cells carry the extra `'`, and the JSON files
// keep every value unchanged. TAB and CR are on OWASP's list because some
// spreadsheets skip them before looking for the formula sign.
// A negative number would be prefixed too: no column of our exports holds one
// (they are counts, ids, dates and text), so nothing numeric is mangled.
const formulaStart = /^[=+\-@\t\r]/;

/** The cell as text a spreadsheet will not evaluate: `'` before a leading = + - @ TAB or CR. */
export function neutraliseFormula(text: string): string {
  return formulaStart.test(text) ? `'${text}` : text;
}

function field(value: CsvValue): string {
  const text = neutraliseFormula(value === null || value === undefined ? "" : String(value));
  // RFC 4180: quote a field holding a quote, the separator or a line break, and double its quotes.
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * A header row of `columns`, then one record per row taking each column's
 * value by name (missing and null are empty). Records end with CRLF, as RFC
 * 4180 says; the caller sends the text as UTF-8.
 */
export function toCsv<Column extends string>(
  columns: readonly Column[],
  rows: readonly Partial<Record<Column, CsvValue>>[],
): string {
  const records = [columns.map(field), ...rows.map((row) => columns.map((column) => field(row[column])))];
  return records.map((cells) => `${cells.join(",")}\r\n`).join("");
}
