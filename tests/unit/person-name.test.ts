import { expect, test } from "vitest";
import { personNameProblem } from "~/utils/names";

test("ordinary names of every script are allowed", () => {
  for (const name of [
    "Rajan Nair",
    "Siân Gwenllian",
    "Zoë O'Brien-Smith",
    "Ζωή Παπαδοπούλου",
    "Юлия Петрова",
    "محمد علی‌زاده",
    "李小龍",
    "Ana-María",
  ]) {
    expect(personNameProblem(name), name).toBeNull();
  }
});

test("names that start like a spreadsheet formula are refused", () => {
  for (const name of ['=HYPERLINK("x")', "+44 Bob", "-Jane", "@me"]) {
    expect(personNameProblem(name), name).toBe("must not start with =, +, - or @");
  }
});

test("bidi overrides, isolates and marks are refused", () => {
  for (const c of [
    "\u202A",
    "\u202B",
    "\u202C",
    "\u202D",
    "\u202E",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200F",
  ]) {
    expect(personNameProblem(`Ali${c}ce`)).toMatch(/direction of text/);
  }
});

test("zero-width characters are refused, but a joiner between letters is kept", () => {
  for (const c of ["\u200B", "\u2060", "\uFEFF"]) expect(personNameProblem(`Bo${c}b`)).toMatch(/invisible/);
  expect(personNameProblem("Bob\u200C")).toMatch(/invisible/);
  expect(personNameProblem("\u200DBob")).toMatch(/invisible/);
  expect(personNameProblem("Bob \u200C Smith")).toMatch(/invisible/);
  expect(personNameProblem("علی\u200Cزاده")).toBeNull();
});
