import { expect, test } from "vitest";
import {
  formatProblem,
  formatProblems,
  formatWithdrawal,
  ImportFailed,
  WithdrawalsNotConfirmed,
  type Problem,
} from "~/importers/problems";

function problemsOnLines(count: number): Problem[] {
  return Array.from({ length: count }, (_, i) => ({
    file: "seats.csv",
    line: i + 2,
    column: "Electorate",
    message: "must be a whole number",
  }));
}

test("a problem names the file, line and column, then the reason", () => {
  expect(formatProblem({ file: "seats.csv", line: 7, column: "Electorate", message: "must be a whole number" })).toBe(
    'seats.csv, line 7: column "Electorate": must be a whole number',
  );
});

test("a problem with no line or column names just the file", () => {
  expect(formatProblem({ file: "empty.csv", message: "the file is empty" })).toBe("empty.csv: the file is empty");
});

test("shows the first 20 problems, then how many more there are", () => {
  const lines = formatProblems(problemsOnLines(25)).split("\n");

  expect(lines).toHaveLength(21);
  expect(lines[0]).toBe('seats.csv, line 2: column "Electorate": must be a whole number');
  expect(lines[19]).toBe('seats.csv, line 21: column "Electorate": must be a whole number');
  expect(lines[20]).toBe("…and 5 more problems");
});

test('says "1 more problem", singular, when one is left over', () => {
  expect(formatProblems(problemsOnLines(21)).split("\n").at(-1)).toBe("…and 1 more problem");
});

test("exactly 20 problems are all shown with no count after them", () => {
  const lines = formatProblems(problemsOnLines(20)).split("\n");

  expect(lines).toHaveLength(20);
  expect(lines.at(-1)).toBe('seats.csv, line 21: column "Electorate": must be a whole number');
});

test("ImportFailed keeps the problems and uses the formatted list as its message", () => {
  const problems = problemsOnLines(2);
  const error = new ImportFailed(problems);

  expect(error.problems).toEqual(problems);
  expect(error.message).toBe(formatProblems(problems));
  expect(error.name).toBe("ImportFailed");
});

test("a withdrawal names the person's id, name, party and constituency", () => {
  const withdrawal = {
    personId: "900123",
    name: "Ada Quennell",
    partyName: "Labour Party",
    constituencyName: "Harbury Cross",
  };

  expect(formatWithdrawal(withdrawal)).toBe("900123 Ada Quennell, Labour Party, Harbury Cross");
  expect(new WithdrawalsNotConfirmed("dc.csv", [withdrawal]).message).toBe(
    "dc.csv: would withdraw 1 candidate; nothing was written",
  );
});
