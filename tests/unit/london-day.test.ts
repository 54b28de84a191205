import { expect, test } from "vitest";
import { addDays, londonDay, startOfLondonDay } from "~/utils/london-day";

test("a winter day in London begins at midnight UTC, a summer day at 23:00 UTC the day before", () => {
  expect(startOfLondonDay("2024-01-15").toISOString()).toBe("2024-01-15T00:00:00.000Z");
  expect(startOfLondonDay("2024-06-20").toISOString()).toBe("2024-06-19T23:00:00.000Z");
});

test("the days the clocks change begin on the offset before the change (it happens at 01:00 UTC)", () => {
  // 31 March 2024: clocks go forward; 27 October 2024: clocks go back.
  expect(startOfLondonDay("2024-03-31").toISOString()).toBe("2024-03-31T00:00:00.000Z");
  expect(startOfLondonDay("2024-04-01").toISOString()).toBe("2024-03-31T23:00:00.000Z");
  expect(startOfLondonDay("2024-10-27").toISOString()).toBe("2024-10-26T23:00:00.000Z");
  expect(startOfLondonDay("2024-10-28").toISOString()).toBe("2024-10-28T00:00:00.000Z");
});

test("an instant's London day is the next UTC day late on a summer evening", () => {
  expect(londonDay(new Date("2024-06-20T22:59:59.999Z"))).toBe("2024-06-20");
  expect(londonDay(new Date("2024-06-20T23:00:00.000Z"))).toBe("2024-06-21");
  expect(londonDay(new Date("2024-12-31T23:30:00.000Z"))).toBe("2024-12-31");
});

test("the next day crosses months and years", () => {
  expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
  expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
  expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
});

test("something that is not a day is refused rather than read as some other time", () => {
  expect(() => startOfLondonDay("20 June")).toThrow(RangeError);
  expect(() => startOfLondonDay("2024-02-30")).toThrow(RangeError);
  expect(() => addDays("2024-6-1", 1)).toThrow(RangeError);
});
