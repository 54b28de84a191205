// @vitest-environment jsdom
// The dashboard's chart as people meet it: an image named and summed up in
// words, the same figures as a table, and a plain sentence when there is nothing yet.
import { cleanup, render, screen, within } from "@testing-library/react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, expect, test } from "vitest";
import { DailyChart, type DailyChartDay } from "~/components/daily-chart";

afterEach(cleanup);

const days: DailyChartDay[] = [
  { date: "2024-06-16", confirmedAsks: 0, signatures: 1 },
  { date: "2024-06-17", confirmedAsks: 0, signatures: 0 },
  { date: "2024-06-18", confirmedAsks: 1, signatures: 0 },
  { date: "2024-06-19", confirmedAsks: 0, signatures: 0 },
  { date: "2024-06-20", confirmedAsks: 1_250, signatures: 2 },
];

test("the chart is an image named by its title and summed up in words", () => {
  render(<DailyChart days={days} />);
  const name =
    "Confirmed asks and candidates who signed, per day " +
    "Bars show confirmed asks and a dashed line candidates who signed, for each day from 16 Jun 2024 to 20 Jun 2024. " +
    "1,251 confirmed asks in all, the most on 20 Jun 2024 (1,250). " +
    "3 candidates signed in all, the most on 20 Jun 2024 (2).";
  expect(screen.getByRole("img", { name })).toBeTruthy();
});

test("the chart has a legend naming both series, and scales to the width of a phone", () => {
  render(<DailyChart days={days} />);
  const chart = screen.getByRole("img", { name: /per day/ });
  expect(chart.getAttribute("viewBox")).toMatch(/^0 0 \d+ \d+$/);
  expect(chart.getAttribute("width")).toBe("100%");
  expect(within(chart).getByText("Confirmed asks")).toBeTruthy();
  expect(within(chart).getByText("Candidates who signed")).toBeTruthy();
  expect(within(chart).getByText("16 Jun")).toBeTruthy();
  expect(within(chart).getByText("20 Jun")).toBeTruthy();
});

test("the same figures are in a table, one row a day, with dates as people write them", () => {
  render(<DailyChart days={days} />);
  const table = screen.getByRole("table", { name: "Confirmed asks and signatures per day" });
  const rows = within(table)
    .getAllByRole("row")
    .map((row) => Array.from(row.querySelectorAll("th, td"), (cell) => cell.textContent));
  expect(rows).toEqual([
    ["Date", "Confirmed asks", "Candidates who signed"],
    ["16 Jun 2024", "0", "1"],
    ["17 Jun 2024", "0", "0"],
    ["18 Jun 2024", "1", "0"],
    ["19 Jun 2024", "0", "0"],
    ["20 Jun 2024", "1,250", "2"],
  ]);
  expect(table.parentElement?.className).toBe("table-scroll");
});

test("with nothing on any day there is a sentence, not an empty chart", () => {
  render(
    <DailyChart
      days={[
        { date: "2024-06-19", confirmedAsks: 0, signatures: 0 },
        { date: "2024-06-20", confirmedAsks: 0, signatures: 0 },
      ]}
    />,
  );
  expect(screen.getByText("No confirmed asks or signatures yet.")).toBeTruthy();
  expect(screen.queryByRole("img")).toBeNull();
  expect(screen.queryByRole("table")).toBeNull();
});

test("one day of figures draws, and the summary says which day", () => {
  render(<DailyChart days={[{ date: "2024-07-13", confirmedAsks: 1, signatures: 0 }]} />);
  expect(screen.getByRole("img", { name: /for each day on 13 Jul 2024\. 1 confirmed ask in all/ })).toBeTruthy();
  expect(screen.getByRole("img", { name: /No candidates signed\.$/ })).toBeTruthy();
});

test("it is drawn on the server, with no script", () => {
  const html = renderToStaticMarkup(<DailyChart days={days} />);
  expect(html).toContain("<svg");
  expect(html).not.toContain("<script");
});
